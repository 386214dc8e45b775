//! The policy's rules, one actor and one kind of item at a time.

use super::*;
use crate::files::activity::Author;

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
