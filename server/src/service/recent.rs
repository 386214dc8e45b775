//! Recent: the files a person changed (uploads and new versions, from the activity log) or
//! opened in the browser (the viewer or a download), their own and shared with them, newest
//! first. Opens through WebDAV, sync or a token are not counted (they are programs reading,
//! not a person looking), and an open is kept once an hour at most per file.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use super::Service;
use crate::{
    db::portable_statement,
    entities::node,
    error::ServiceError,
    policy::{authorize, Action, Actor, Credential},
};

/// How many entries Recent shows.
const SHOWN: usize = 50;
/// How many candidates of each kind are looked at.
const LOOKED_AT: i64 = 200;

#[derive(FromQueryResult)]
struct Touch {
    node_id: Uuid,
    at: DateTime<Utc>,
}

impl Service {
    /// Notes that the actor opened `file` (a person in the browser only); never fails the
    /// open itself.
    pub(super) async fn note_open(&self, actor: &Actor, file: &node::Model) {
        if actor.via != Credential::Session || file.is_folder() {
            return;
        }
        let now = Utc::now();
        let sql = "INSERT INTO opens (user_id, node_id, opened_at) VALUES ($1, $2, $3) \
                   ON CONFLICT (user_id, node_id) DO UPDATE SET opened_at = excluded.opened_at \
                   WHERE opens.opened_at < $4";
        let hour_ago = now - Duration::hours(1);
        let statement = portable_statement(
            self.db().get_database_backend(),
            sql,
            [
                actor.user_id.into(),
                file.id.into(),
                now.into(),
                hour_ago.into(),
            ],
        );
        if let Err(e) = self.db().execute(statement).await {
            tracing::warn!(error = %e, "an open was not noted for Recent");
        }
    }

    /// The files the actor changed or opened lately and may still see, newest first, each
    /// with when.
    pub async fn recent(
        &self,
        actor: &Actor,
    ) -> Result<Vec<(node::Model, DateTime<Utc>)>, ServiceError> {
        authorize(actor, Action::ReadAccount)?;
        let backend = self.db().get_database_backend();
        let opened = "SELECT node_id, opened_at AS at FROM opens WHERE user_id = $1 \
                      ORDER BY opened_at DESC LIMIT $2";
        let changed = "SELECT node_id, MAX(created_at) AS at FROM activity \
                       WHERE actor_id = $1 AND node_id IS NOT NULL \
                       AND action IN ('upload', 'new_version') \
                       GROUP BY node_id ORDER BY MAX(created_at) DESC LIMIT $2";
        let mut latest: HashMap<Uuid, DateTime<Utc>> = HashMap::new();
        for sql in [opened, changed] {
            let values = [actor.user_id.into(), LOOKED_AT.into()];
            let statement = portable_statement(backend, sql, values);
            for touch in Touch::find_by_statement(statement).all(self.db()).await? {
                let at = latest.entry(touch.node_id).or_insert(touch.at);
                *at = (*at).max(touch.at);
            }
        }
        let mut order: Vec<(Uuid, DateTime<Utc>)> = latest.into_iter().collect();
        order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut shown = Vec::new();
        for chunk in order.chunks(SHOWN) {
            let ids = chunk.iter().map(|(id, _)| *id).collect();
            let when: HashMap<Uuid, DateTime<Utc>> = chunk.iter().copied().collect();
            for file in self.visible(actor, ids).await? {
                if file.is_folder() {
                    continue;
                }
                let at = when.get(&file.id).copied().unwrap_or_else(Utc::now);
                shown.push((file, at));
                if shown.len() == SHOWN {
                    return Ok(shown);
                }
            }
        }
        Ok(shown)
    }
}
