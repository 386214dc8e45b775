//! How form errors are shown: next to their field, or above the form when they are general.

use leptos::prelude::*;

use crate::error::AppError;

/// The error's message when it is about `field`.
#[component]
pub fn FieldError(
    #[prop(into)] error: Signal<Option<AppError>>,
    field: &'static str,
) -> impl IntoView {
    let message = move || {
        error
            .get()
            .filter(|e| e.field() == Some(field))
            .map(|e| e.to_string())
    };
    view! {
        <Show when=move || message().is_some()>
            <p class="field-error" id=format!("{field}-error") role="alert">{message}</p>
        </Show>
    }
}

/// The error's message when it belongs to none of the form's `fields`.
#[component]
pub fn FormError(
    #[prop(into)] error: Signal<Option<AppError>>,
    fields: &'static [&'static str],
) -> impl IntoView {
    let message = move || {
        error
            .get()
            .filter(|e| e.field().is_none_or(|f| !fields.contains(&f)))
            .map(|e| e.to_string())
    };
    view! {
        <Show when=move || message().is_some()>
            <p class="form-error" role="alert">{message}</p>
        </Show>
    }
}
