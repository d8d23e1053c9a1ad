//! Identity and access: sessions, sign-in with rate limits, operators, and the request context
//! through which every workspace's data is reached. Whether a caller may do something is decided
//! by [`model::access::authorize`] alone; this module feeds it and turns its answer into errors.

pub mod ctx;
pub mod limit;
pub mod operators;
pub mod session;
pub mod signin;
pub mod token;

pub use ctx::{
    open_workspace, require_operator, Actor, Member, OperatorCtx, WorkspaceCtx, WorkspaceRef,
};
pub use session::{Session, SessionSettings, Subject};
pub use token::SessionCookie;

/// Who sent a request, as its session cookie says. Built once per request by the server's
/// middleware.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
    Signed(Session),
    /// The control database could not be asked; anything that needs a session is refused as
    /// unavailable rather than sent to sign in again.
    Unknown,
}

/// The client's network address, for per-address rate limits ("unknown" when the transport
/// does not tell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddr(pub String);

impl Default for ClientAddr {
    fn default() -> Self {
        Self("unknown".into())
    }
}
