//! What one drop or pick of files becomes: the names it would take are checked first (a
//! name already in the folder waits for "replace, keep both or skip"), then its files start
//! uploading and its empty folders are made. A public link's drop skips the question (the
//! link decides on the server).

use leptos::prelude::*;

#[cfg(feature = "hydrate")]
use super::clash::{self, ClashPrompt};
use super::{clash::Choice, upload::UploadQueue};

/// What one drop (or one pick of files) holds: files with their paths, and empty folders.
#[cfg(feature = "hydrate")]
pub struct Batch {
    parent: uuid::Uuid,
    files: Vec<(web_sys::File, String)>,
    dirs: Vec<String>,
    /// The tus endpoint: the drive's, or a public link's (`/s/{token}/uploads`).
    endpoint: Option<String>,
}

#[cfg(feature = "hydrate")]
impl Batch {
    /// The names this batch would take in its folder (the first part of every path).
    fn tops(&self) -> Vec<String> {
        let mut tops: Vec<String> = Vec::new();
        let paths = self.files.iter().map(|(_, p)| p).chain(self.dirs.iter());
        for path in paths {
            let top = clash::top(path).to_owned();
            if !tops.contains(&top) {
                tops.push(top);
            }
        }
        tops
    }

    /// This batch split in two: what goes under one of `names`, and the rest.
    fn split(self, names: &[String]) -> (Batch, Batch) {
        let hit = |path: &String| names.iter().any(|n| n == clash::top(path));
        let (files_in, files_out) = self.files.into_iter().partition(|(_, p)| hit(p));
        let (dirs_in, dirs_out) = self.dirs.into_iter().partition(hit);
        let make = |files, dirs| Batch {
            parent: self.parent,
            files,
            dirs,
            endpoint: self.endpoint.clone(),
        };
        (make(files_in, dirs_in), make(files_out, dirs_out))
    }
}

impl UploadQueue {
    /// Uploads the files of a drop or a file input (`source`: a DataTransfer or an input)
    /// into the folder `parent`; first asks the server which of their names are taken there.
    #[cfg(feature = "hydrate")]
    pub fn add_from(self, source: wasm_bindgen::JsValue, parent: uuid::Uuid) {
        self.add_to(source, parent, None);
    }

    /// The same through a public link's tus endpoint: the link's server side decides about
    /// names already there (a drop box keeps both), and empty folders are not made.
    #[cfg(feature = "hydrate")]
    pub fn add_to(
        self,
        source: wasm_bindgen::JsValue,
        parent: uuid::Uuid,
        endpoint: Option<String>,
    ) {
        use wasm_bindgen::JsCast;
        // Called at once: a drop's items can only be read while its event is handled.
        let collected = super::upload::js::collect(&source);
        if let Ok(input) = source.dyn_into::<web_sys::HtmlInputElement>() {
            // Its files are taken: the same ones can be picked again later.
            input.set_value("");
        }
        wasm_bindgen_futures::spawn_local(async move {
            let Ok(list) = wasm_bindgen_futures::JsFuture::from(collected).await else {
                return;
            };
            let mut batch = Batch {
                parent,
                files: Vec::new(),
                dirs: Vec::new(),
                endpoint,
            };
            for pair in js_sys::Array::from(&list).iter() {
                let get = |name: &str| js_sys::Reflect::get(&pair, &name.into()).ok();
                let path = get("path").and_then(|p| p.as_string()).unwrap_or_default();
                if get("dir").is_some_and(|d| d.is_truthy()) {
                    batch.dirs.push(path);
                } else if let Some(Ok(file)) = get("file").map(|f| f.dyn_into::<web_sys::File>()) {
                    let path = if path.is_empty() { file.name() } else { path };
                    batch.files.push((file, path));
                }
            }
            if batch.endpoint.is_some() {
                batch.dirs.clear();
                self.begin(batch, &[]);
                return;
            }
            // When the question cannot be asked, upload: a name taken becomes a new version.
            let clashes = super::api::clashes(parent, batch.tops())
                .await
                .unwrap_or_default();
            if clashes.is_empty() {
                self.begin(batch, &[]);
                return;
            }
            let asked: Vec<String> = clashes.iter().map(|c| c.asked.clone()).collect();
            let (clashing, free) = batch.split(&asked);
            let mut folders: Vec<String> = Vec::new();
            let folder_paths = clashing
                .files
                .iter()
                .map(|(_, p)| p)
                .filter(|p| p.contains('/'));
            for path in folder_paths.chain(clashing.dirs.iter()) {
                let top = clash::top(path).to_owned();
                if !folders.contains(&top) {
                    folders.push(top);
                }
            }
            self.begin(free, &[]);
            self.waiting.update_value(|w| w.push(clashing));
            self.prompts
                .update(|p| p.push(ClashPrompt { clashes, folders }));
        });
    }

    /// What the person chose for the first drop that waits.
    pub fn resolve(self, choice: Choice) {
        let Some(prompt) = self
            .prompts
            .try_update(|p| (!p.is_empty()).then(|| p.remove(0)))
            .flatten()
        else {
            return;
        };
        #[cfg(feature = "hydrate")]
        {
            let batch = self
                .waiting
                .try_update_value(|w| (!w.is_empty()).then(|| w.remove(0)))
                .flatten();
            let Some(batch) = batch else { return };
            let renames: Vec<(String, String)> = match choice {
                Choice::Skip => return,
                Choice::Replace => Vec::new(),
                Choice::KeepBoth => prompt
                    .clashes
                    .into_iter()
                    .map(|c| (c.asked, c.free_name))
                    .collect(),
            };
            // Not under the dialog's reactive owner: the uploads outlive the dialog.
            wasm_bindgen_futures::spawn_local(async move { self.begin(batch, &renames) });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (prompt, choice);
    }

    /// Starts the uploads of a batch, each path's first part renamed as `renames` says, and
    /// makes its empty folders.
    #[cfg(feature = "hydrate")]
    fn begin(self, batch: Batch, renames: &[(String, String)]) {
        let rename = |path: &str| {
            let top = clash::top(path);
            match renames.iter().find(|(from, _)| from == top) {
                Some((_, to)) => clash::renamed(path, to),
                None => path.to_owned(),
            }
        };
        let parent = batch.parent;
        for dir in &batch.dirs {
            let path = rename(dir);
            wasm_bindgen_futures::spawn_local(async move {
                if super::api::make_folders(parent, path).await.is_ok() {
                    self.finished.update(|n| *n += 1);
                }
            });
        }
        let endpoint = batch
            .endpoint
            .unwrap_or_else(|| "/api/v1/uploads".to_owned());
        let files = batch
            .files
            .into_iter()
            .map(|(file, path)| {
                let path = rename(&path);
                (file, path)
            })
            .collect();
        self.enqueue(files, parent, &endpoint);
    }
}
