//! Dragging within the drive: an entry (or the selection it is part of) dragged onto a folder
//! (a row or a breadcrumb) moves there; files dragged from the desktop onto a folder upload
//! into it.

use leptos::ev::DragEvent;
use uuid::Uuid;

use super::{actions::Item, context::DriveContext, upload::UploadQueue};

/// The drag data that carries the dragged entries' ids (comma-separated).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const NODE_TYPE: &str = "application/x-gosync-node";

/// Entries start being dragged.
pub fn start(ev: &DragEvent, items: &[Item]) {
    #[cfg(feature = "hydrate")]
    if let Some(data) = ev.data_transfer() {
        let ids: Vec<String> = items.iter().map(|i| i.id.to_string()).collect();
        let _ = data.set_data(NODE_TYPE, &ids.join(","));
        data.set_effect_allowed("move");
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, items);
}

/// Whether what is dragged can go into a folder: an entry, or files.
pub fn accepts(ev: &DragEvent) -> bool {
    #[cfg(feature = "hydrate")]
    return ev.data_transfer().is_some_and(|data| {
        data.types().iter().any(|t| {
            t.as_string()
                .is_some_and(|t| t == NODE_TYPE || t == "Files")
        })
    });
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        false
    }
}

/// Where a drop's work goes: the folder's page (to refresh, to tell) and the upload queue.
#[derive(Clone, Copy)]
pub struct Drop {
    pub ctx: DriveContext,
    pub queue: UploadQueue,
}

impl Drop {
    pub fn here() -> Self {
        Self {
            ctx: leptos::prelude::expect_context(),
            queue: leptos::prelude::expect_context(),
        }
    }
}

/// What was dropped onto the folder `target` (named `name`): a move, or uploads.
pub fn drop_into(ev: &DragEvent, into: Drop, target: Uuid, name: String) {
    ev.prevent_default();
    ev.stop_propagation();
    #[cfg(feature = "hydrate")]
    if let Some(data) = ev.data_transfer() {
        dropped(data, into, target, name);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (into, target, name);
}

#[cfg(feature = "hydrate")]
fn dropped(data: web_sys::DataTransfer, into: Drop, target: Uuid, name: String) {
    use leptos::prelude::*;

    use super::toast::Toast;

    let Some(ids) = data.get_data(NODE_TYPE).ok().filter(|d| !d.is_empty()) else {
        into.queue.add_from(data.into(), target);
        return;
    };
    let ctx = into.ctx;
    let items: Vec<Item> = ids
        .split(',')
        .filter_map(|id| Uuid::parse_str(id).ok())
        .filter(|id| *id != target)
        .map(|id| {
            ctx.item(id).unwrap_or(Item {
                id,
                name: String::new(),
                is_folder: false,
            })
        })
        .collect();
    if items.is_empty() {
        return;
    }
    leptos::task::spawn_local(async move {
        if let Err(message) = super::actions::move_items(ctx, items, target, name).await {
            ctx.toast.set(Some(Toast::Error(message)));
        }
        ctx.refresh.run(());
    });
}
