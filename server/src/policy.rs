//! The one place that decides "may this actor do this". Handlers and server functions ask it;
//! none decides on its own. Later issues add node actions (read, write, share…) here.

use app::AppError;
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

#[derive(Debug, Clone, Copy)]
pub enum Action {
    /// See one's own account.
    ReadAccount,
    /// Mint a personal access token.
    CreateToken,
    /// List, use or revoke a token owned by `owner`.
    ManageToken { owner: Uuid },
    /// See a file or folder owned by `owner` (list, get, download).
    ReadNode { owner: Uuid },
    /// Change a file or folder owned by `owner` (create inside, rename, move).
    WriteNode { owner: Uuid },
    /// Move to the trash, restore, purge a file or folder owned by `owner`.
    DeleteNode { owner: Uuid },
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
        // Sharing adds grants here; until then only owners reach their nodes.
        Action::ReadNode { owner } | Action::WriteNode { owner } | Action::DeleteNode { owner }
            if owner == actor.user_id =>
        {
            Ok(())
        }
        Action::ReadNode { .. } | Action::WriteNode { .. } | Action::DeleteNode { .. } => {
            Err(AppError::NotFound)
        }
        Action::Administer if actor.is_admin => Ok(()),
        Action::Administer => Err(AppError::Forbidden),
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
    fn nodes_are_their_owners_and_invisible_to_others() {
        let me = actor(Credential::Session, true);
        assert!(authorize(&me, Action::WriteNode { owner: me.user_id }).is_ok());
        assert_eq!(
            authorize(
                &me,
                Action::ReadNode {
                    owner: Uuid::new_v4()
                }
            ),
            Err(AppError::NotFound)
        );
        assert_eq!(
            authorize(
                &me,
                Action::WriteNode {
                    owner: Uuid::new_v4()
                }
            ),
            Err(AppError::NotFound)
        );
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
