//! What every part of a folder's page shares: reloading the folder, the toast, the
//! selection, the open context menu, and the items being moved.

use leptos::prelude::*;
use uuid::Uuid;

use super::{actions::Item, toast::Toast};
use crate::dto::EntryDto;

/// Where a context menu opened, and for which entry.
#[derive(Clone, Debug, PartialEq)]
pub struct MenuAt {
    pub item: Item,
    pub x: f64,
    pub y: f64,
}

#[derive(Clone, Copy)]
pub struct DriveContext {
    pub refresh: Callback<()>,
    pub toast: RwSignal<Option<Toast>>,
    /// The folder on screen, once it has loaded.
    pub here: Signal<Option<Uuid>>,
    /// The selected entries, in the order they were picked.
    pub selection: RwSignal<Vec<Item>>,
    /// Where a Shift-click's range starts.
    pub anchor: RwSignal<Option<Uuid>>,
    pub menu: RwSignal<Option<MenuAt>>,
    /// The items the "Move to…" dialog is open for.
    pub moving: RwSignal<Option<Vec<Item>>>,
    /// An entry asked to show its rename field (from the menu).
    pub renaming: RwSignal<Option<Uuid>>,
    /// The item the Share dialog is open for.
    pub sharing: RwSignal<Option<Item>>,
    /// The entries on the page as listed: a range of rows is selected among them, the viewer
    /// steps through their files.
    pub entries: StoredValue<Vec<EntryDto>>,
    /// The file open in the viewer.
    pub viewing: RwSignal<Option<Uuid>>,
    /// A reload is already on its way (see `refresh_soon`).
    reload_queued: StoredValue<bool>,
}

impl DriveContext {
    pub fn new(refresh: Callback<()>, here: Signal<Option<Uuid>>) -> Self {
        Self {
            refresh,
            toast: RwSignal::new(None),
            here,
            selection: RwSignal::new(Vec::new()),
            anchor: RwSignal::new(None),
            menu: RwSignal::new(None),
            moving: RwSignal::new(None),
            renaming: RwSignal::new(None),
            sharing: RwSignal::new(None),
            entries: StoredValue::new(Vec::new()),
            viewing: RwSignal::new(None),
            reload_queued: StoredValue::new(false),
        }
    }

    /// Reloads the folder in a moment, once for everything that asks meanwhile (thumbnails
    /// arriving one after another: the viewer then shows their renderings and PDF pages).
    pub fn refresh_soon(&self) {
        if self.reload_queued.get_value() {
            return;
        }
        self.reload_queued.set_value(true);
        #[cfg(feature = "hydrate")]
        {
            let (refresh, queued) = (self.refresh, self.reload_queued);
            set_timeout(
                // The folder may be gone by then (another page): `try_` does nothing.
                move || {
                    if queued.try_set_value(false).is_none() {
                        refresh.try_run(());
                    }
                },
                std::time::Duration::from_millis(800),
            );
        }
    }

    pub fn is_selected(&self, id: Uuid) -> bool {
        self.selection.with(|s| s.iter().any(|i| i.id == id))
    }

    pub fn clear_selection(&self) {
        self.selection.set(Vec::new());
        self.anchor.set(None);
    }

    /// What an action started on `item` applies to: the whole selection when the item is
    /// part of it, else the item alone.
    pub fn targets(&self, item: &Item) -> Vec<Item> {
        let selection = self.selection.get_untracked();
        if selection.len() > 1 && selection.iter().any(|i| i.id == item.id) {
            selection
        } else {
            vec![item.clone()]
        }
    }

    /// An entry rendered on the page.
    pub fn register(&self, entry: EntryDto) {
        self.entries.update_value(|k| {
            k.retain(|e| e.id != entry.id);
            k.push(entry);
        });
    }

    /// Whether the person starred the listed entry `id`.
    pub fn is_starred(&self, id: Uuid) -> bool {
        self.entries
            .with_value(|k| k.iter().any(|e| e.id == id && e.starred))
    }

    pub fn item(&self, id: Uuid) -> Option<Item> {
        self.entries.with_value(|k| {
            k.iter().find(|e| e.id == id).map(|e| Item {
                id: e.id,
                name: e.name.clone(),
                is_folder: e.is_folder,
            })
        })
    }
}
