//! Who acts: a person through one of their credentials, or a public link acting as itself.

use app::dto::LinkRole;
use uuid::Uuid;

use crate::files::activity::Author;

/// Who is acting, and through which kind of credential.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The person; the nil id (which owns nothing and holds no grant) for a link.
    pub user_id: Uuid,
    pub is_admin: bool,
    pub via: Credential,
}

impl Actor {
    /// A person, signed in through `via`.
    pub fn user(user_id: Uuid, is_admin: bool, via: Credential) -> Self {
        Self {
            user_id,
            is_admin,
            via,
        }
    }

    /// A public link's holder: the link itself acts.
    pub fn link(scope: LinkScope) -> Self {
        Self {
            user_id: Uuid::nil(),
            is_admin: false,
            via: Credential::Link(scope),
        }
    }

    /// The link acting, if it is one.
    pub fn link_scope(&self) -> Option<LinkScope> {
        match self.via {
            Credential::Link(scope) => Some(scope),
            _ => None,
        }
    }

    /// Whom the activity log and a version name for what this actor does.
    pub fn author(&self) -> Author {
        match self.via {
            Credential::Link(scope) => Author::Link(scope.id),
            _ => Author::User(self.user_id),
        }
    }
}

/// What a public link is: its id, its role and the item it opens (everything below a linked
/// folder is in its scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkScope {
    pub id: Uuid,
    pub role: LinkRole,
    pub root: Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    Session,
    AccessToken,
    PersonalAccessToken,
    Link(LinkScope),
}
