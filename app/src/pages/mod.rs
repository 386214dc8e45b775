//! One module per page of the site.

pub mod admin;
pub mod files;
pub mod login;
pub mod marked;
pub mod not_found;
pub mod search;
pub mod settings;
pub mod shared;
pub mod shared_link;
pub mod signup;
pub mod welcome;

/// Who may see a page. The server enforces it before rendering (redirecting with 302), so the
/// components never have to redirect while rendering on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageAccess {
    /// Signed-in users only; others go to /login.
    SignedIn,
    /// Sign-in and sign-up: signed-in users go to their files.
    SignedOut,
    Public,
}

pub fn page_access(path: &str) -> PageAccess {
    match path.trim_end_matches('/') {
        "" | "/trash" | "/shared" | "/recent" | "/starred" | "/admin" | "/search" | "/settings" => {
            PageAccess::SignedIn
        }
        p if p.starts_with("/folders/") || p.starts_with("/admin/") => PageAccess::SignedIn,
        "/login" | "/signup" => PageAccess::SignedOut,
        _ => PageAccess::Public,
    }
}
