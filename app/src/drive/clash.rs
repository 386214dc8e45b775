//! Uploading onto names a folder already has: the drive asks once per drop whether to
//! replace (a file gets a new version and keeps its history; a folder's uploads go into the
//! folder that is there), keep both (the upload takes a free name, "name (1).ext"), or skip.

use leptos::prelude::*;

use super::upload::UploadQueue;
use crate::dto::ClashDto;

/// One drop's names that are taken, waiting for the person's choice.
#[derive(Clone, Debug, PartialEq)]
pub struct ClashPrompt {
    pub clashes: Vec<ClashDto>,
    /// Which of the taken names the drop uploads as folders.
    pub folders: Vec<String>,
}

impl ClashPrompt {
    /// Whether "Replace" can apply to every item: a file only replaces a file, a folder's
    /// uploads only go into a folder.
    pub fn replaceable(&self) -> bool {
        self.clashes
            .iter()
            .all(|c| c.is_folder == self.folders.contains(&c.asked))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Replace,
    KeepBoth,
    Skip,
}

/// The first part of a path: the name it takes in the folder it is uploaded into.
pub fn top(path: &str) -> &str {
    path.split('/').next().unwrap_or(path)
}

/// `path` with its first part replaced by `name`.
pub fn renamed(path: &str, name: &str) -> String {
    match path.split_once('/') {
        Some((_, rest)) => format!("{name}/{rest}"),
        None => name.to_owned(),
    }
}

/// The question, for the first drop that waits for one.
#[component]
pub fn ClashDialog() -> impl IntoView {
    let queue = expect_context::<UploadQueue>();
    let first = move || queue.prompts.with(|p| p.first().cloned());
    view! {
        {move || first().map(|prompt| {
            let replaceable = prompt.replaceable();
            let names: Vec<String> = prompt.clashes.iter().map(|c| c.name.clone()).collect();
            let heading = match names.as_slice() {
                [one] => format!("“{one}” is already in this folder"),
                many => format!("{} items are already in this folder", many.len()),
            };
            let folders = !prompt.folders.is_empty();
            let keep = match prompt.clashes.as_slice() {
                [one] => format!("keep both (the upload becomes “{}”)", one.free_name),
                _ => "keep both (the uploads get new names, such as “name (1)”)".to_owned(),
            };
            let explained = match (replaceable, folders) {
                (true, false) => format!(
                    "Replace (what is there stays in the version history), {keep}, or skip."
                ),
                (true, true) => format!(
                    "Merge (files go into the folder that is there; a file of the same name gets a new version), {keep}, or skip."
                ),
                (false, _) => format!(
                    "A file cannot replace a folder, nor a folder a file: {keep}, or skip."
                ),
            };
            let many = names.len() > 1;
            view! {
                <div class="dialog-backdrop">
                    <div class="dialog clash-dialog" role="alertdialog" aria-modal="true"
                        aria-labelledby="clash-title" aria-describedby="clash-explained">
                        <h2 id="clash-title">{heading}</h2>
                        <p id="clash-explained">{explained}</p>
                        {many.then(|| view! {
                            <ul class="clash-names">
                                {names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                            </ul>
                        })}
                        <div class="dialog-choices">
                            {replaceable.then(|| view! {
                                <button id="clash-replace" class="button primary" type="button"
                                    on:click=move |_| queue.resolve(Choice::Replace)>
                                    {if folders { "Merge" } else { "Replace" }}
                                </button>
                            })}
                            <button id="clash-keep" class="button" type="button"
                                on:click=move |_| queue.resolve(Choice::KeepBoth)>"Keep both"</button>
                            <button id="clash-skip" class="button ghost" type="button"
                                on:click=move |_| queue.resolve(Choice::Skip)>"Skip"</button>
                        </div>
                    </div>
                </div>
            }
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clash(asked: &str, is_folder: bool) -> ClashDto {
        ClashDto {
            asked: asked.to_owned(),
            name: asked.to_owned(),
            is_folder,
            free_name: format!("{asked} (1)"),
        }
    }

    #[test]
    fn paths_are_renamed_by_their_first_part() {
        assert_eq!(top("Photos/2026/a.jpg"), "Photos");
        assert_eq!(top("a.txt"), "a.txt");
        assert_eq!(
            renamed("Photos/2026/a.jpg", "Photos (1)"),
            "Photos (1)/2026/a.jpg"
        );
        assert_eq!(renamed("report.pdf", "report (1).pdf"), "report (1).pdf");
    }

    #[test]
    fn replace_is_offered_only_where_kinds_match() {
        let files = ClashPrompt {
            clashes: vec![clash("a.txt", false)],
            folders: vec![],
        };
        assert!(files.replaceable());
        let folder = ClashPrompt {
            clashes: vec![clash("Photos", true)],
            folders: vec!["Photos".into()],
        };
        assert!(folder.replaceable());
        let file_over_folder = ClashPrompt {
            clashes: vec![clash("Photos", true)],
            folders: vec![],
        };
        assert!(!file_over_folder.replaceable());
    }
}
