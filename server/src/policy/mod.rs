//! The one place that decides "may this actor do this". Every request reaches it through the
//! service functions (`files::access` finds a node for an actor and asks here); no handler
//! decides on its own, and only this module makes a [`Standing`].
//!
//! The rules:
//! - An **actor** is a person (browser session, access token or personal access token) or a
//!   **public link** acting as itself ([`Credential::Link`]): a link is never its owner. It
//!   reaches only its item and what lies below it, and nothing else exists for it.
//! - **Owners** do everything to what they own. **Grantees** (a grant on the item or a folder
//!   above it; the highest role counts): a viewer lists, previews, downloads and sees old
//!   versions; an editor also uploads, makes folders, renames, moves within what they may
//!   edit and adds versions (replaces content); a manager also deletes and shares. Moving an
//!   item into or out of a share needs manager rights (or ownership) at both ends, so that no
//!   one can carry an item somewhere they may share it and back.
//! - **Links**: a viewer link reads current content only (never old versions); an uploader
//!   link (a drop box) only adds files: it cannot list, read, replace or version anything,
//!   and a name already taken gets a free one, so it learns nothing of what is there; an editor
//!   link reads and adds, and never replaces either. No link renames, moves, deletes or shares.
//!   A link stops working when it is revoked, expires, is used up, when its owner's account is
//!   disabled (410 until enabled again), and a link made by a manager goes with the manager's
//!   grant.
//! - **Rights are checked at every step** of a long operation: each PATCH of an upload and its
//!   completion ask again, so a right lost halfway stops the upload before it makes a file.
//! - Someone who may not see an item gets "not found", never "forbidden": ids of other
//!   people's things cannot be probed.

mod actor;
#[cfg(test)]
mod tests;

use app::{
    dto::{LinkRole, Role},
    AppError,
};
use uuid::Uuid;

pub use actor::{Actor, Credential, LinkScope};

/// What an actor is to a file or folder. Made only here, from what was looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing(Kind);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Owner,
    /// Shared with them (on the item or a folder above it); the highest role counts.
    Grantee(Role),
    /// The item is a link's item or below it, and the link is acting.
    Linked(LinkRole),
    /// None of these: for them the item does not exist.
    Stranger,
}

/// What `actor` is to an item owned by `owner`, given the roles granted to the actor on the
/// item and the folders above it, and (for a link) whether the item is in the link's scope.
pub fn standing(
    actor: &Actor,
    owner: Uuid,
    granted: impl IntoIterator<Item = Role>,
    in_link_scope: bool,
) -> Standing {
    if let Credential::Link(scope) = actor.via {
        return Standing(if in_link_scope {
            Kind::Linked(scope.role)
        } else {
            Kind::Stranger
        });
    }
    if owner == actor.user_id {
        return Standing(Kind::Owner);
    }
    Standing(
        granted
            .into_iter()
            .max()
            .map_or(Kind::Stranger, Kind::Grantee),
    )
}

impl Standing {
    /// Whether the actor owns the item.
    pub fn is_owner(self) -> bool {
        self.0 == Kind::Owner
    }

    /// The role granted to the actor, if the item is shared with them.
    pub fn granted_role(self) -> Option<Role> {
        match self.0 {
            Kind::Grantee(role) => Some(role),
            _ => None,
        }
    }
}

/// What an action on a file or folder needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// List, get, preview, download the current content, copy from.
    Read,
    /// See and download old versions.
    History,
    /// Make folders in, rename, move, restore a version.
    Write,
    /// Put new content over a file's (a new version).
    Replace,
    /// Move to the trash.
    Delete,
    /// Share with others, change or remove their access; move into or out of a share.
    Share,
    /// Add files (a drop box allows only this).
    Upload,
}

impl Need {
    /// The least role that allows it (API.md: Roles).
    fn least_role(self) -> Role {
        match self {
            Need::Read | Need::History => Role::Viewer,
            Need::Write | Need::Upload | Need::Replace => Role::Editor,
            Need::Delete | Need::Share => Role::Manager,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Action {
    /// See one's own account.
    ReadAccount,
    /// Mint a personal access token.
    CreateToken,
    /// List, use or revoke a token owned by `owner`.
    ManageToken { owner: Uuid },
    /// Do what `need` says to a file or folder the actor stands to as `standing`.
    Node { need: Need, standing: Standing },
    /// List, restore or purge one's own trash.
    OwnTrash,
    /// Continue, look at or give up an upload begun by `owner` (through link `link`, if a
    /// link began it): a person continues only their own uploads, a link only its own.
    OwnUpload { owner: Uuid, link: Option<Uuid> },
    /// Anything under /admin.
    Administer,
}

/// `Ok` when `actor` may do `action`. Someone else's object answers `NotFound`, so that ids of
/// other people's things cannot be probed.
pub fn authorize(actor: &Actor, action: Action) -> Result<(), AppError> {
    let is_link = matches!(actor.via, Credential::Link(_));
    match action {
        Action::Node { standing, need } => match standing.0 {
            Kind::Owner => Ok(()),
            Kind::Grantee(role) if role >= need.least_role() => Ok(()),
            // They can see it, so saying "not found" would be a lie.
            Kind::Grantee(_) => Err(AppError::Forbidden),
            Kind::Linked(role) => authorize_link(role, need),
            Kind::Stranger => Err(AppError::NotFound),
        },
        Action::OwnUpload { owner, link } => {
            let theirs = match actor.via {
                Credential::Link(scope) => link == Some(scope.id),
                _ => owner == actor.user_id && link.is_none(),
            };
            if theirs {
                Ok(())
            } else {
                Err(AppError::NotFound)
            }
        }
        // A link has no account, no tokens, no trash and no admin rights.
        _ if is_link => Err(AppError::Forbidden),
        Action::ReadAccount | Action::OwnTrash => Ok(()),
        // A leaked personal token must not be able to mint itself successors.
        Action::CreateToken if actor.via == Credential::PersonalAccessToken => {
            Err(AppError::Forbidden)
        }
        Action::CreateToken => Ok(()),
        Action::ManageToken { owner } if owner == actor.user_id => Ok(()),
        Action::ManageToken { .. } => Err(AppError::NotFound),
        Action::Administer if actor.is_admin => Ok(()),
        Action::Administer => Err(AppError::Forbidden),
    }
}

/// What a public link allows within its scope: a viewer reads, an uploader only adds files (it
/// cannot even list what is there), an editor reads and adds. No link sees old versions,
/// replaces content, renames, moves, deletes or shares.
fn authorize_link(role: LinkRole, need: Need) -> Result<(), AppError> {
    match (role, need) {
        (LinkRole::Viewer | LinkRole::Editor, Need::Read) => Ok(()),
        (LinkRole::Uploader | LinkRole::Editor, Need::Upload) => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}
