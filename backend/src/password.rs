//! Password hashing with Argon2id (m = 19 MiB, t = 2, p = 1), run on the blocking pool so a
//! sign-in never stalls the async threads. Only the PHC-format hash is stored.

use crate::BackendError;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Each hash takes 19 MiB. glibc raises its mmap threshold after the first such block is freed,
/// so later blocks come from per-thread arenas and stay resident: hundreds of megabytes after a
/// few hundred sign-ins. A fixed threshold keeps large blocks mapped and returned to the system.
fn keep_large_blocks_unmapped() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: mallopt only adjusts allocator tuning; 128 KiB is glibc's default threshold.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        }
    });
}

fn argon2() -> Result<Argon2<'static>, BackendError> {
    keep_large_blocks_unmapped();
    let params = Params::new(19 * 1024, 2, 1, None)
        .map_err(|e| BackendError::Internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

pub async fn hash(password: String) -> Result<String, BackendError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()?
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| BackendError::Internal(format!("hashing a password: {e}")))
    })
    .await
    .map_err(|e| BackendError::Internal(format!("hashing task: {e}")))?
}

/// Whether `password` matches `stored`. A malformed stored hash is an error, not a mismatch.
pub async fn verify(password: String, stored: String) -> Result<bool, BackendError> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&stored)
            .map_err(|e| BackendError::Internal(format!("stored password hash: {e}")))?;
        Ok(argon2()?
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(|e| BackendError::Internal(format!("verifying task: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_salted_and_verifiable() {
        let a = hash("correct horse battery".into()).await.expect("hash");
        let b = hash("correct horse battery".into()).await.expect("hash");
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify("correct horse battery".into(), a.clone())
            .await
            .expect("verify"));
        assert!(!verify("wrong horse battery".into(), a)
            .await
            .expect("verify"));
        assert!(verify("x".into(), "not a hash".into()).await.is_err());
    }
}
