//! Dragging within the drive: an entry dragged onto a folder (a row or a breadcrumb) moves
//! there; files dragged from the desktop onto a folder upload into it.

use leptos::ev::DragEvent;
use uuid::Uuid;

use super::{list::DriveContext, upload::UploadQueue};

/// The drag data that carries an entry's id.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const NODE_TYPE: &str = "application/x-gosync-node";

/// An entry starts being dragged.
pub fn start(ev: &DragEvent, id: Uuid) {
    #[cfg(feature = "hydrate")]
    if let Some(data) = ev.data_transfer() {
        let _ = data.set_data(NODE_TYPE, &id.to_string());
        data.set_effect_allowed("move");
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, id);
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

    use super::{api::move_to, list::Toast};

    let dragged = data
        .get_data(NODE_TYPE)
        .ok()
        .and_then(|id| Uuid::parse_str(&id).ok());
    match dragged {
        Some(id) if id == target => {}
        Some(id) => {
            let ctx = into.ctx;
            leptos::task::spawn_local(async move {
                match move_to(id, target).await {
                    Ok(moved) => {
                        let text = format!("Moved “{}” to “{name}”.", moved.name);
                        ctx.toast.set(Some(Toast::Info(text)));
                    }
                    Err(e) => ctx.toast.set(Some(Toast::Error(e.to_string()))),
                }
                ctx.refresh.run(());
            });
        }
        None => into.queue.add_from(data.into(), target),
    }
}
