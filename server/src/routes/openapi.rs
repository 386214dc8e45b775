//! `/api/v1/openapi.json`, generated from the handlers' annotations.

use axum::Json;
use utoipa::{
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi,
};

use super::{
    admin, auth, changes, content, download, events, links, marks, me, nodes, previews, search,
    selection, shares, tokens, trash, tus, upload_batch, versions,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "GoSync API", description = "Files, folders, sharing and uploads. Errors are \
        `{\"error\": {\"code\", \"message\", \"field\"}}`."),
    paths(auth::signup, auth::login, auth::refresh, auth::logout, me::get, tokens::create,
        tokens::list, tokens::delete, nodes::create_folder, nodes::get, nodes::children,
        nodes::update, nodes::copy, trash::delete, trash::list, trash::restore, trash::purge, trash::empty, download::get, admin::stats, admin::health, admin::storage, admin::users, admin::create_user, admin::update_user, admin::set_password, admin::invite_again, admin::settings, admin::put_settings, admin::jobs, admin::retry_job, admin::activity, previews::thumbnail, previews::page, selection::get, content::put, tus::options, tus::create, tus::head, upload_batch::upload_batch,
        tus::patch, tus::terminate, versions::list, versions::restore, shares::list, shares::create,
        shares::update, shares::delete, shares::shared_with_me, links::list, links::create, links::delete, search::search,
        marks::star, marks::unstar, marks::starred, marks::recent, events::events,
        changes::latest, changes::changes),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub async fn get() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
