//! The drive's toast: what just happened ("Moved … to the trash"), with Undo where it can be
//! undone.

use leptos::prelude::*;
use uuid::Uuid;

use super::{api::restore, list::DriveContext};

#[derive(Clone, Debug, PartialEq)]
pub enum Toast {
    Trashed { id: Uuid, name: String },
    Restored(String),
    Info(String),
    Error(String),
}

#[component]
pub fn ToastView(toast: RwSignal<Option<Toast>>) -> impl IntoView {
    let ctx = expect_context::<DriveContext>();
    let undo = Action::new(move |id: &Uuid| restore(*id));
    Effect::new(move || {
        if let Some(result) = undo.value().get() {
            match result {
                Ok(entry) => {
                    toast.set(Some(Toast::Restored(entry.name)));
                    ctx.refresh.run(());
                }
                Err(e) => toast.set(Some(Toast::Error(e.to_string()))),
            }
        }
    });
    view! {
        <div class="toast-region" aria-live="polite">
            {move || toast.get().map(|t| {
                let (text, undo_id) = match t {
                    Toast::Trashed { id, name } => (format!("Moved “{name}” to the trash."), Some(id)),
                    Toast::Restored(name) => (format!("Restored “{name}”."), None),
                    Toast::Info(text) => (text, None),
                    Toast::Error(message) => (message, None),
                };
                view! {
                    <div class="toast" role="status">
                        <span class="toast-text">{text}</span>
                        {undo_id.map(|id| view! {
                            <button class="button small undo" type="button" on:click=move |_| { undo.dispatch(id); }>
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
