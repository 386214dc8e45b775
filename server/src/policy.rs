//! The one place that decides "may this actor do this". Handlers and server functions ask it;
//! none decides on its own. For files and folders the caller says what the actor is to the
//! item ([`Standing`]: owner, a grantee with a role on it or a folder above it, or nobody;
//! `files::access` finds it with one query up the tree) and what it needs ([`Need`]).

use app::{
    dto::{LinkRole, Role},
    AppError,
};
use uuid::Uuid;

/// Who is acting, and through which kind of credential.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Uuid,
    pub is_admin: bool,
    pub via: Credential,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    Session,
    AccessToken,
    PersonalAccessToken,
}

/// What someone is to a file or folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Owner,
    /// Shared with them (on the item or a folder above it); the highest role counts.
    Grantee(Role),
    /// Neither: for them the item does not exist.
    Stranger,
}

/// What an action on a file or folder needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// List, get, preview, download, copy from.
    Read,
    /// Upload into, make folders in, rename, move, add versions.
    Write,
    /// Move to the trash.
    Delete,
    /// Share with others, change or remove their access.
    Share,
    /// Add files (a drop box allows only this).
    Upload,
}

impl Need {
    /// The least role that allows it (API.md: Roles).
    fn least_role(self) -> Role {
        match self {
            Need::Read => Role::Viewer,
            Need::Write | Need::Upload => Role::Editor,
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
    /// Anything under /admin.
    Administer,
}

/// `Ok` when `actor` may do `action`. Someone else's object answers `NotFound`, so that ids of
/// other people's things cannot be probed.
pub fn authorize(actor: &Actor, action: Action) -> Result<(), AppError> {
    match action {
        Action::ReadAccount => Ok(()),
        // A leaked personal token must not be able to mint itself successors.
        Action::CreateToken if actor.via == Credential::PersonalAccessToken => {
            Err(AppError::Forbidden)
        }
        Action::CreateToken => Ok(()),
        Action::ManageToken { owner } if owner == actor.user_id => Ok(()),
        Action::ManageToken { .. } => Err(AppError::NotFound),
        Action::Node { standing, need } => match standing {
            Standing::Owner => Ok(()),
            Standing::Grantee(role) if role >= need.least_role() => Ok(()),
            // They can see it, so saying "not found" would be a lie.
            Standing::Grantee(_) => Err(AppError::Forbidden),
            Standing::Stranger => Err(AppError::NotFound),
        },
        Action::Administer if actor.is_admin => Ok(()),
        Action::Administer => Err(AppError::Forbidden),
    }
}

/// What a public link allows (anyone holding it; the link is valid and the item is the linked
/// one or below it: `sharing::links` checked that): a viewer reads, an uploader only adds files (it cannot even
/// list what is there), an editor reads and adds. No link renames, moves, deletes or shares.
pub fn authorize_link(role: LinkRole, need: Need) -> Result<(), AppError> {
    match (role, need) {
        (LinkRole::Viewer | LinkRole::Editor, Need::Read) => Ok(()),
        (LinkRole::Uploader | LinkRole::Editor, Need::Upload) => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(via: Credential, is_admin: bool) -> Actor {
        Actor {
            user_id: Uuid::new_v4(),
            is_admin,
            via,
        }
    }

    #[test]
    fn tokens_belong_to_their_owner_only() {
        let me = actor(Credential::Session, false);
        assert!(authorize(&me, Action::ManageToken { owner: me.user_id }).is_ok());
        assert_eq!(
            authorize(
                &me,
                Action::ManageToken {
                    owner: Uuid::new_v4()
                }
            ),
            Err(AppError::NotFound)
        );
    }

    #[test]
    fn personal_tokens_cannot_mint_tokens() {
        assert!(authorize(&actor(Credential::AccessToken, false), Action::CreateToken).is_ok());
        assert_eq!(
            authorize(
                &actor(Credential::PersonalAccessToken, false),
                Action::CreateToken
            ),
            Err(AppError::Forbidden)
        );
    }

    #[test]
    fn owners_do_everything_strangers_see_nothing_and_roles_climb() {
        let me = actor(Credential::Session, true);
        let node = |need, standing| authorize(&me, Action::Node { need, standing });
        let needs = [Need::Read, Need::Write, Need::Delete, Need::Share];
        for need in needs {
            assert!(node(need, Standing::Owner).is_ok());
            assert_eq!(
                node(need, Standing::Stranger),
                Err(AppError::NotFound),
                "even for an admin"
            );
        }
        let allowed = |role| {
            needs
                .iter()
                .map(|need| node(*need, Standing::Grantee(role)).is_ok())
                .collect::<Vec<_>>()
        };
        assert_eq!(allowed(Role::Viewer), [true, false, false, false]);
        assert_eq!(allowed(Role::Editor), [true, true, false, false]);
        assert_eq!(allowed(Role::Manager), [true, true, true, true]);
        assert_eq!(
            node(Need::Write, Standing::Grantee(Role::Viewer)),
            Err(AppError::Forbidden),
            "a viewer knows the item is there"
        );
    }

    #[test]
    fn links_read_or_add_and_nothing_more() {
        let all = [
            Need::Read,
            Need::Write,
            Need::Delete,
            Need::Share,
            Need::Upload,
        ];
        let allowed = |role| all.map(|need| authorize_link(role, need).is_ok());
        assert_eq!(
            allowed(LinkRole::Viewer),
            [true, false, false, false, false]
        );
        assert_eq!(
            allowed(LinkRole::Uploader),
            [false, false, false, false, true]
        );
        assert_eq!(allowed(LinkRole::Editor), [true, false, false, false, true]);
    }

    #[test]
    fn only_admins_administer() {
        assert!(authorize(&actor(Credential::Session, true), Action::Administer).is_ok());
        assert_eq!(
            authorize(&actor(Credential::Session, false), Action::Administer),
            Err(AppError::Forbidden)
        );
    }
}
