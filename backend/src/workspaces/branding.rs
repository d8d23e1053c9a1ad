//! Co-branding: a workspace's owners and admins set its display name, primary colour and logo
//! over the deployment's theme. The logo is checked like a theme's (type by content, at most
//! 512 KiB, SVG refused when anything in it can run or fetch) before it is stored. Pages read
//! the brand through a short cache, so a page load costs no database query most of the time.

use crate::auth::ctx::find_row;
use crate::auth::WorkspaceCtx;
use crate::registry::Registry;
use crate::{audit, now_millis, BackendError, Db};
use base64::Engine as _;
use model::access::Action;
use model::theme::{check_value, image_kind, ImageKind, Kind};
use model::workspace::{BrandingView, CoBrand, BRAND_NAME_MAX};
use model::WorkspaceStatus;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The address a workspace's logo is served at; `version` changes with the file.
pub fn logo_path(slug: &str) -> String {
    format!("/w/{slug}/brand/logo")
}

type Row = (Option<String>, Option<String>, Option<String>);

async fn stored(db: &Db) -> Result<Option<Row>, BackendError> {
    Ok(
        sqlx::query_as("SELECT display_name, primary_color, logo_hash FROM branding WHERE id = 1")
            .fetch_optional(db.pool())
            .await?,
    )
}

/// The brand a stored row gives. Checked again as it is read, so a row that came another way
/// (an imported archive) cannot bring an over-long name or a value that is not a colour.
fn co_brand(slug: &str, row: Row) -> Option<CoBrand> {
    let (name, primary, hash) = row;
    let brand = CoBrand {
        name: name
            .and_then(|n| check_value(Kind::Line(BRAND_NAME_MAX), &n).ok())
            .filter(|n| !n.is_empty()),
        primary: primary.and_then(|p| check_value(Kind::Colour, &p).ok()),
        logo_url: hash
            .filter(|h| h.chars().all(|c| c.is_ascii_hexdigit()))
            .map(|h| format!("{}?v={h}", logo_path(slug))),
    };
    (brand != CoBrand::default()).then_some(brand)
}

/// The workspace's brand as its settings page shows it.
pub async fn view(ctx: &WorkspaceCtx) -> Result<BrandingView, BackendError> {
    ctx.require(Action::BrandWorkspace)?;
    let brand = stored(ctx.db())
        .await?
        .and_then(|row| co_brand(ctx.workspace.slug.as_str(), row))
        .unwrap_or_default();
    Ok(BrandingView {
        display_name: brand.name.unwrap_or_default(),
        primary_color: brand.primary.unwrap_or_default(),
        logo_url: brand.logo_url,
    })
}

/// Sets the display name and primary colour; an empty value goes back to the theme's.
pub async fn save(
    ctx: &WorkspaceCtx,
    display_name: &str,
    primary_color: &str,
) -> Result<(), BackendError> {
    ctx.require(Action::BrandWorkspace)?;
    let name = check_value(Kind::Line(BRAND_NAME_MAX), display_name)
        .map_err(|m| BackendError::invalid("display_name", m))?;
    let primary = if primary_color.trim().is_empty() {
        String::new()
    } else {
        check_value(Kind::Colour, primary_color)
            .map_err(|m| BackendError::invalid("primary_color", m))?
    };
    sqlx::query(
        "INSERT INTO branding (id, display_name, primary_color, updated_at) VALUES (1, $1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, \
         primary_color = excluded.primary_color, updated_at = excluded.updated_at",
    )
    .bind(&name)
    .bind(&primary)
    .bind(now_millis())
    .execute(ctx.db().pool())
    .await?;
    let detail = format!(
        "display name \u{201c}{name}\u{201d}, primary colour {}",
        if primary.is_empty() {
            "of the theme"
        } else {
            &primary
        }
    );
    audit::record(ctx.db(), ctx.actor_id(), "branding_changed", &detail).await
}

/// Stores `bytes` as the logo after checking them. `file_name` is what the browser sent; when it
/// names an image type, the content must be that type.
pub async fn set_logo(
    ctx: &WorkspaceCtx,
    file_name: &str,
    bytes: &[u8],
) -> Result<(), BackendError> {
    ctx.require(Action::BrandWorkspace)?;
    let kind = check_logo(file_name, bytes).map_err(|m| BackendError::invalid("logo", m))?;
    let hash = crate::theme::content_version(bytes);
    sqlx::query(
        "INSERT INTO branding (id, logo, logo_kind, logo_hash, updated_at) VALUES (1, $1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET logo = excluded.logo, logo_kind = excluded.logo_kind, \
         logo_hash = excluded.logo_hash, updated_at = excluded.updated_at",
    )
    .bind(base64::engine::general_purpose::STANDARD.encode(bytes))
    .bind(kind.content_type())
    .bind(&hash)
    .bind(now_millis())
    .execute(ctx.db().pool())
    .await?;
    audit::record(
        ctx.db(),
        ctx.actor_id(),
        "branding_changed",
        &format!("logo ({}, {} bytes)", kind.content_type(), bytes.len()),
    )
    .await
}

/// The checked type of an uploaded logo, or why it is refused.
pub fn check_logo(file_name: &str, bytes: &[u8]) -> Result<ImageKind, String> {
    if bytes.is_empty() {
        return Err("Choose an image file to upload.".into());
    }
    let found = ImageKind::sniff(bytes)
        .ok_or_else(|| "The file is not an SVG, PNG or ICO image.".to_string())?;
    let name = match image_kind(file_name) {
        Some(_) => file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(file_name)
            .to_string(),
        None => match found {
            ImageKind::Svg => "logo.svg".into(),
            ImageKind::Png => "logo.png".into(),
            ImageKind::Ico => "logo.ico".into(),
        },
    };
    crate::theme::check_image(&name, bytes)
}

pub async fn remove_logo(ctx: &WorkspaceCtx) -> Result<(), BackendError> {
    ctx.require(Action::BrandWorkspace)?;
    sqlx::query(
        "UPDATE branding SET logo = NULL, logo_kind = NULL, logo_hash = NULL, updated_at = $1 \
         WHERE id = 1",
    )
    .bind(now_millis())
    .execute(ctx.db().pool())
    .await?;
    audit::record(ctx.db(), ctx.actor_id(), "branding_changed", "logo removed").await
}

/// Checks a `branding` row of an imported archive as an upload and the brand form would be:
/// the logo by its content (its type and hash are worked out again from it), the name and the
/// colour by their rules. `Err` says what is wrong, for the import's message.
pub fn check_imported_row(
    row: &mut serde_json::Map<String, serde_json::Value>,
) -> Result<(), String> {
    use serde_json::Value;
    let text = |row: &serde_json::Map<String, Value>, key: &str| {
        row.get(key).and_then(Value::as_str).map(str::to_string)
    };
    if let Some(name) = text(row, "display_name") {
        check_value(Kind::Line(BRAND_NAME_MAX), &name).map_err(|m| format!("display_name {m}"))?;
    }
    if let Some(colour) = text(row, "primary_color").filter(|c| !c.is_empty()) {
        check_value(Kind::Colour, &colour).map_err(|m| format!("primary_color: {m}"))?;
    }
    match text(row, "logo") {
        Some(logo) => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(logo)
                .map_err(|_| "logo is not base64".to_string())?;
            let kind = check_logo("", &bytes).map_err(|m| format!("logo: {m}"))?;
            row.insert("logo_kind".into(), Value::from(kind.content_type()));
            row.insert(
                "logo_hash".into(),
                Value::from(crate::theme::content_version(&bytes)),
            );
        }
        None => {
            row.insert("logo_kind".into(), Value::Null);
            row.insert("logo_hash".into(), Value::Null);
        }
    }
    Ok(())
}

/// The logo of the active workspace at `slug`, for anyone who can see its sign-in page.
pub async fn logo(
    control: &Db,
    registry: &Registry,
    slug: &str,
) -> Result<Option<(ImageKind, Vec<u8>)>, BackendError> {
    let (workspace, db_name) = find_row(control, slug).await?;
    if workspace.status != WorkspaceStatus::Active {
        return Ok(None);
    }
    let db = registry.open(&db_name).await?;
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT logo, logo_kind FROM branding WHERE id = 1")
            .fetch_optional(db.pool())
            .await?;
    let Some((Some(logo), Some(kind))) = row else {
        return Ok(None);
    };
    let kind = [ImageKind::Svg, ImageKind::Png, ImageKind::Ico]
        .into_iter()
        .find(|k| k.content_type() == kind)
        .ok_or_else(|| BackendError::Internal(format!("stored logo kind {kind:?}")))?;
    // Every way in (upload, archive import) checked it before it was stored.
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(logo)
        .map_err(|e| BackendError::Internal(format!("stored logo: {e}")))?;
    Ok(Some((kind, bytes)))
}

/// Brands by workspace address for page rendering, each kept for a few seconds (several server
/// processes each see an edit within that time; the process that made it, at once).
#[derive(Debug)]
pub struct BrandCache {
    ttl: Duration,
    entries: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    /// Address → when read, the workspace's id, its brand.
    brands: HashMap<String, (Instant, Option<String>, Option<CoBrand>)>,
    /// Bumped by every [`BrandCache::forget`]: a read that began before it is not kept.
    generation: u64,
}

/// What the cache knows of a workspace's pages: its id (to tell its own callers from others)
/// and its brand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageBrand {
    pub workspace_id: String,
    pub brand: CoBrand,
}

/// Most addresses the cache holds; past it, the entries read longest ago go first.
const CACHE_CAP: usize = 10_000;

impl Default for BrandCache {
    fn default() -> Self {
        Self::new(Duration::from_secs(5))
    }
}

impl BrandCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::default(),
        }
    }

    /// The brand of the active workspace at `slug`; `None` for an unknown, suspended or
    /// unbranded one, and when its database cannot be read (the page then shows the theme).
    pub async fn get(&self, control: &Db, registry: &Registry, slug: &str) -> Option<CoBrand> {
        self.page(control, registry, slug).await.map(|p| p.brand)
    }

    /// [`Self::get`] with the workspace's id.
    pub async fn page(&self, control: &Db, registry: &Registry, slug: &str) -> Option<PageBrand> {
        let generation = {
            let entries = self.lock();
            if let Some((at, id, brand)) = entries.brands.get(slug) {
                if at.elapsed() < self.ttl {
                    return page_brand(id, brand);
                }
            }
            entries.generation
        };
        let (id, brand) = match lookup(control, registry, slug).await {
            Ok(found) => found,
            Err(BackendError::NotFound(_)) => (None, None),
            Err(e) => {
                tracing::warn!(error = %e, slug, "cannot read the workspace's brand");
                return None;
            }
        };
        let mut entries = self.lock();
        // An edit made while this read was under way wins: keep nothing, answer what was read.
        if entries.generation == generation {
            if entries.brands.len() >= CACHE_CAP {
                let ttl = self.ttl;
                entries.brands.retain(|_, (at, ..)| at.elapsed() < ttl);
                if entries.brands.len() >= CACHE_CAP {
                    entries.brands.clear();
                }
            }
            entries.brands.insert(
                slug.to_string(),
                (Instant::now(), id.clone(), brand.clone()),
            );
        }
        page_brand(&id, &brand)
    }

    /// Forgets `slug`'s brand after an edit in this process.
    pub fn forget(&self, slug: &str) {
        let mut entries = self.lock();
        entries.brands.remove(slug);
        entries.generation += 1;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn page_brand(id: &Option<String>, brand: &Option<CoBrand>) -> Option<PageBrand> {
    Some(PageBrand {
        workspace_id: id.clone()?,
        brand: brand.clone()?,
    })
}

async fn lookup(
    control: &Db,
    registry: &Registry,
    slug: &str,
) -> Result<(Option<String>, Option<CoBrand>), BackendError> {
    let (workspace, db_name) = find_row(control, slug).await?;
    if workspace.status != WorkspaceStatus::Active {
        return Ok((Some(workspace.id), None));
    }
    let db = registry.open(&db_name).await?;
    let brand = stored(&db).await?.and_then(|row| co_brand(slug, row));
    Ok((Some(workspace.id), brand))
}

/// The logo's current version (its hash) for the workspace at `slug`, from the cache.
pub async fn logo_version(
    cache: &BrandCache,
    control: &Db,
    registry: &Registry,
    slug: &str,
) -> Option<String> {
    let url = cache.get(control, registry, slug).await?.logo_url?;
    url.split_once("?v=").map(|(_, v)| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uploaded_logo_is_known_by_its_content() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>"#;
        assert_eq!(check_logo("brand.svg", svg), Ok(ImageKind::Svg));
        assert_eq!(check_logo("no-extension", svg), Ok(ImageKind::Svg));
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(
            check_logo("C:\\Users\\a\\logo.png", png),
            Ok(ImageKind::Png)
        );
        assert!(check_logo("logo.png", svg)
            .expect_err("mismatch")
            .contains("not what its name says"));
        assert!(check_logo("logo.svg", b"")
            .expect_err("empty")
            .contains("Choose"));
        assert!(check_logo("logo.gif", b"GIF89a")
            .expect_err("gif")
            .contains("not an SVG, PNG or ICO"));
        let script = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#;
        assert!(check_logo("logo.svg", script)
            .expect_err("script")
            .contains("event attribute"));
    }

    #[test]
    fn a_stored_brand_is_checked_again_as_it_is_read() {
        let brand = co_brand(
            "acme",
            (
                Some("x".repeat(200)),
                Some("red;background:url(https://tracker.example)".into()),
                Some("abc\"><script>".into()),
            ),
        );
        assert_eq!(brand, None, "nothing of it passes");
        let brand =
            co_brand("acme", (Some("Acme".into()), Some("#ABC".into()), None)).expect("brand");
        assert_eq!(brand.primary.as_deref(), Some("#aabbcc"));
    }

    #[test]
    fn an_imported_row_is_checked_like_an_upload() {
        use base64::Engine as _;
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let row = |pairs: serde_json::Value| pairs.as_object().expect("object").clone();
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>"#;
        let mut good = row(serde_json::json!({
            "id": 1, "display_name": "Acme", "primary_color": "#abc",
            "logo": b64(svg), "logo_kind": "image/png", "logo_hash": "forged", "updated_at": 1
        }));
        check_imported_row(&mut good).expect("valid");
        assert_eq!(
            good["logo_kind"], "image/svg+xml",
            "the type comes from the content"
        );
        assert_eq!(
            good["logo_hash"],
            crate::theme::content_version(svg).as_str()
        );
        let script = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        for (bad, reason) in [
            (serde_json::json!({"logo": b64(script)}), "<script>"),
            (serde_json::json!({"logo": "%%%"}), "base64"),
            (
                serde_json::json!({"display_name": "x".repeat(61)}),
                "display_name",
            ),
            (
                serde_json::json!({"primary_color": "red;x:y"}),
                "primary_color",
            ),
        ] {
            let err = check_imported_row(&mut row(bad)).expect_err(reason);
            assert!(err.contains(reason), "{err}");
        }
    }

    #[test]
    fn an_empty_brand_is_no_brand() {
        assert_eq!(co_brand("acme", (Some(String::new()), None, None)), None);
        let brand =
            co_brand("acme", (Some("Acme".into()), None, Some("abc".into()))).expect("brand");
        assert_eq!(brand.logo_url.as_deref(), Some("/w/acme/brand/logo?v=abc"));
    }
}
