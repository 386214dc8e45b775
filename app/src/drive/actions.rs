//! What the drive does to one item or to a selection, whichever control asked (a row's
//! buttons, the context menu, the selection bar, a drag, the keyboard): each tells the
//! outcome in the toast and reloads the folder.

use leptos::prelude::*;
use uuid::Uuid;

use super::{
    api::{copy, move_to, trash},
    context::DriveContext,
    toast::Toast,
};

/// An entry of the folder, as the controls that act on it know it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub id: Uuid,
    pub name: String,
    pub is_folder: bool,
}

/// “name” for one item, "3 items" for more.
pub fn label(items: &[Item]) -> String {
    match items {
        [one] => format!("“{}”", one.name),
        many => format!("{} items", many.len()),
    }
}

/// Stars the item, or takes its star off when it has one (the menu, or the S key).
pub fn toggle_star(ctx: DriveContext, item: Item) {
    let starred = !ctx.is_starred(item.id);
    leptos::task::spawn_local(async move {
        let toast = match super::marks_api::set_star(item.id, starred).await {
            Ok(()) if starred => Toast::Info(format!("Starred {}", label(&[item]))),
            Ok(()) => Toast::Info(format!("Took the star off {}", label(&[item]))),
            Err(e) => Toast::Error(e.to_string()),
        };
        ctx.toast.set(Some(toast));
        ctx.refresh.run(());
    });
}

/// Moves the items to the trash (the toast can undo it).
pub fn trash_items(ctx: DriveContext, items: Vec<Item>) {
    leptos::task::spawn_local(async move {
        let mut done = Vec::new();
        let mut failure = None;
        for item in &items {
            match trash(item.id).await {
                Ok(()) => done.push(item.clone()),
                Err(e) => {
                    failure = Some(e.to_string());
                    break;
                }
            }
        }
        ctx.clear_selection();
        let toast = match failure {
            Some(message) if done.is_empty() => Toast::Error(message),
            Some(message) => Toast::Error(format!(
                "Moved {} to the trash, then: {message}",
                label(&done)
            )),
            None => Toast::Trashed {
                ids: done.iter().map(|i| i.id).collect(),
                label: label(&done),
            },
        };
        ctx.toast.set(Some(toast));
        ctx.refresh.run(());
    });
}

/// Copies the item next to itself, as "name (1)".
pub fn copy_item(ctx: DriveContext, id: Uuid) {
    leptos::task::spawn_local(async move {
        let toast = match copy(id).await {
            Ok(made) => Toast::Info(format!("Made a copy: “{}”.", made.name)),
            Err(e) => Toast::Error(e.to_string()),
        };
        ctx.toast.set(Some(toast));
        ctx.refresh.run(());
    });
}

/// Moves the items into the folder `target` (named `name`). On the first refusal it stops
/// and says why (what moved before it stays moved, and the toast says so).
pub async fn move_items(
    ctx: DriveContext,
    items: Vec<Item>,
    target: Uuid,
    name: String,
) -> Result<(), String> {
    let mut done = Vec::new();
    let mut failure = None;
    for item in items.iter().filter(|i| i.id != target) {
        match move_to(item.id, target).await {
            Ok(_) => done.push(item.clone()),
            Err(e) => {
                failure = Some(e.to_string());
                break;
            }
        }
    }
    if !done.is_empty() {
        ctx.clear_selection();
        let text = format!("Moved {} to “{name}”.", label(&done));
        ctx.toast.set(Some(Toast::Info(text)));
        ctx.refresh.run(());
    }
    match failure {
        Some(message) if done.is_empty() => Err(message),
        Some(message) => Err(format!("Moved {}, then: {message}", label(&done))),
        None => Ok(()),
    }
}

/// Where the items download from: a file's bytes, a folder's zip, or several as one zip.
pub fn download_url(items: &[Item]) -> String {
    match items {
        [one] => format!("/api/v1/nodes/{}/content", one.id),
        many => {
            let ids: Vec<String> = many.iter().map(|i| i.id.to_string()).collect();
            format!("/api/v1/zip?ids={}", ids.join(","))
        }
    }
}

/// Starts the download of the items.
pub fn download(items: &[Item]) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(&download_url(items));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = items;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str) -> Item {
        Item {
            id: Uuid::new_v4(),
            name: name.to_owned(),
            is_folder: false,
        }
    }

    #[test]
    fn one_item_is_named_and_several_are_counted() {
        assert_eq!(label(&[item("a.txt")]), "“a.txt”");
        assert_eq!(label(&[item("a"), item("b"), item("c")]), "3 items");
    }

    #[test]
    fn one_item_downloads_itself_and_several_come_as_one_zip() {
        let a = item("a");
        assert_eq!(
            download_url(std::slice::from_ref(&a)),
            format!("/api/v1/nodes/{}/content", a.id)
        );
        let b = item("b");
        assert_eq!(
            download_url(&[a.clone(), b.clone()]),
            format!("/api/v1/zip?ids={},{}", a.id, b.id)
        );
    }
}
