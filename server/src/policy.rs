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

use app::{
    dto::{LinkRole, Role},
    AppError,
};
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

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(via: Credential, is_admin: bool) -> Actor {
        Actor::user(Uuid::new_v4(), is_admin, via)
    }

    fn link(role: LinkRole) -> Actor {
        Actor::link(LinkScope {
            id: Uuid::new_v4(),
            role,
            root: Uuid::new_v4(),
        })
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
        let owner = standing(&me, me.user_id, [], false);
        let stranger = standing(&me, Uuid::new_v4(), [], false);
        let grantee = |role| standing(&me, Uuid::new_v4(), [Role::Viewer, role], false);
        let needs = [Need::Read, Need::Write, Need::Delete, Need::Share];
        for need in needs {
            assert!(node(need, owner).is_ok());
            assert_eq!(
                node(need, stranger),
                Err(AppError::NotFound),
                "even for an admin"
            );
        }
        let allowed = |role| {
            needs
                .iter()
                .map(|need| node(*need, grantee(role)).is_ok())
                .collect::<Vec<_>>()
        };
        assert_eq!(allowed(Role::Viewer), [true, false, false, false]);
        assert_eq!(allowed(Role::Editor), [true, true, false, false]);
        assert_eq!(allowed(Role::Manager), [true, true, true, true]);
        assert_eq!(
            node(Need::Write, grantee(Role::Viewer)),
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
        let allowed = |role| {
            let me = link(role);
            let inside = standing(&me, Uuid::new_v4(), [], true);
            all.map(|need| {
                authorize(
                    &me,
                    Action::Node {
                        need,
                        standing: inside,
                    },
                )
                .is_ok()
            })
        };
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
    fn a_link_is_never_its_owner_and_sees_nothing_outside_its_scope() {
        let me = link(LinkRole::Editor);
        // Even named as the owner, a link stands as a link.
        let outside = standing(&me, me.user_id, [Role::Manager], false);
        assert_eq!(
            authorize(
                &me,
                Action::Node {
                    need: Need::Read,
                    standing: outside
                }
            ),
            Err(AppError::NotFound)
        );
        let inside = standing(&me, Uuid::new_v4(), [], true);
        for need in [
            Need::History,
            Need::Replace,
            Need::Write,
            Need::Delete,
            Need::Share,
        ] {
            assert!(authorize(
                &me,
                Action::Node {
                    need,
                    standing: inside
                }
            )
            .is_err());
        }
        for action in [
            Action::ReadAccount,
            Action::CreateToken,
            Action::OwnTrash,
            Action::Administer,
        ] {
            assert!(authorize(&me, action).is_err());
        }
        assert_eq!(
            me.author(),
            Author::Link(me.link_scope().map(|s| s.id).unwrap_or_default())
        );
    }

    #[test]
    fn uploads_are_continued_only_by_whoever_began_them() {
        let me = actor(Credential::AccessToken, false);
        let mine = Action::OwnUpload {
            owner: me.user_id,
            link: None,
        };
        assert!(authorize(&me, mine).is_ok());
        let theirs = Action::OwnUpload {
            owner: Uuid::new_v4(),
            link: None,
        };
        assert_eq!(authorize(&me, theirs), Err(AppError::NotFound));
        // One a link began in my folder is the link's to continue, not mine.
        let by_link = Action::OwnUpload {
            owner: me.user_id,
            link: Some(Uuid::new_v4()),
        };
        assert_eq!(authorize(&me, by_link), Err(AppError::NotFound));
        let scope = LinkScope {
            id: Uuid::new_v4(),
            role: LinkRole::Uploader,
            root: Uuid::new_v4(),
        };
        let link = Actor::link(scope);
        let its_own = Action::OwnUpload {
            owner: me.user_id,
            link: Some(scope.id),
        };
        assert!(authorize(&link, its_own).is_ok());
        let other_link = Action::OwnUpload {
            owner: me.user_id,
            link: Some(Uuid::new_v4()),
        };
        assert_eq!(authorize(&link, other_link), Err(AppError::NotFound));
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
