//! The drive's toast: what just happened ("Moved … to the trash"), with Undo where it can be
//! undone.

use leptos::prelude::*;
use uuid::Uuid;

use super::{api::restore, context::DriveContext};

#[derive(Clone, Debug, PartialEq)]
pub enum Toast {
    /// Items went to the trash: `label` is “name” or "3 items".
    Trashed {
        ids: Vec<Uuid>,
        label: String,
    },
    Restored(String),
    Info(String),
    Error(String),
}

#[component]
pub fn ToastView(toast: RwSignal<Option<Toast>>) -> impl IntoView {
    let ctx = expect_context::<DriveContext>();
    // Brings back every item of the toast; the first refusal stops it and is shown.
    let undo = Action::new(move |(ids, label): &(Vec<Uuid>, String)| {
        let (ids, label) = (ids.clone(), label.clone());
        async move {
            let mut last = None;
            for id in ids.iter() {
                last = Some(restore(*id).await?);
            }
            Ok::<_, crate::AppError>(match (ids.len(), last) {
                (1, Some(entry)) => format!("“{}”", entry.name),
                _ => label,
            })
        }
    });
    Effect::new(move || {
        if let Some(result) = undo.value().get() {
            match result {
                Ok(label) => toast.set(Some(Toast::Restored(label))),
                Err(e) => toast.set(Some(Toast::Error(e.to_string()))),
            }
            ctx.refresh.run(());
        }
    });
    view! {
        <div class="toast-region" aria-live="polite">
            {move || toast.get().map(|t| {
                let (text, undo_id) = match t {
                    Toast::Trashed { ids, label } => (format!("Moved {label} to the trash."), Some((ids, label))),
                    Toast::Restored(label) => (format!("Restored {label}."), None),
                    Toast::Info(text) => (text, None),
                    Toast::Error(message) => (message, None),
                };
                view! {
                    <div class="toast" role="status">
                        <span class="toast-text">{text}</span>
                        {undo_id.map(|id| view! {
                            <button class="button small undo" type="button" on:click=move |_| { undo.dispatch(id.clone()); }>
                                "Undo"
                            </button>
                        })}
                        <button class="button small ghost" type="button" aria-label="Dismiss"
                            on:click=move |_| toast.set(None)>"×"</button>
                    </div>
                }
            })}
        </div>
    }
}
