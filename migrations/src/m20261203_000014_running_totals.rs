use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

/// Running totals for the admin dashboard, kept by triggers in the same transaction as each
/// change (every code path, cascades included), so its figures need no scan of a million
/// rows: per owner the live files and folders and the bytes of current and trashed files,
/// the stored contents, and jobs by state. Each total is spread over 8 rows chosen at random
/// per change, so concurrent uploads seldom wait on one another; a figure is the sum of its
/// rows.
#[derive(DeriveMigrationName)]
pub struct Migration;

const SHARDS: u32 = 8;

/// The node's contribution to each total, as SQL over `r` (`NEW` or `OLD`).
fn node_figures(r: &str) -> [String; 4] {
    [
        format!("CASE WHEN {r}.kind = 'file' AND {r}.trashed_at IS NULL THEN 1 ELSE 0 END"),
        format!(
            "CASE WHEN {r}.kind = 'folder' AND {r}.trashed_at IS NULL AND {r}.parent_id IS NOT NULL \
             THEN 1 ELSE 0 END"
        ),
        format!("CASE WHEN {r}.kind = 'file' AND {r}.trashed_at IS NULL THEN {r}.size ELSE 0 END"),
        format!(
            "CASE WHEN {r}.kind = 'file' AND {r}.trashed_at IS NOT NULL THEN {r}.size ELSE 0 END"
        ),
    ]
}

fn shard(backend: DatabaseBackend) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("floor(random() * {SHARDS})::int"),
        _ => format!("abs(random()) % {SHARDS}"),
    }
}

/// Adds (`sign` 1) or takes away (-1) row `r`'s figures.
fn node_upsert(backend: DatabaseBackend, r: &str, sign: i32) -> String {
    let [files, folders, current, trash] = node_figures(r);
    format!(
        "INSERT INTO node_totals (owner_id, shard, files, folders, current_bytes, trash_bytes) \
         VALUES ({r}.owner_id, {shard}, {sign} * ({files}), {sign} * ({folders}), \
                 {sign} * ({current}), {sign} * ({trash})) \
         ON CONFLICT (owner_id, shard) DO UPDATE SET \
           files = node_totals.files + excluded.files, \
           folders = node_totals.folders + excluded.folders, \
           current_bytes = node_totals.current_bytes + excluded.current_bytes, \
           trash_bytes = node_totals.trash_bytes + excluded.trash_bytes;",
        shard = shard(backend)
    )
}

fn blob_upsert(backend: DatabaseBackend, r: &str, sign: i32) -> String {
    format!(
        "INSERT INTO blob_totals (shard, blobs, bytes) VALUES ({shard}, {sign}, {sign} * {r}.size) \
         ON CONFLICT (shard) DO UPDATE SET blobs = blob_totals.blobs + excluded.blobs, \
           bytes = blob_totals.bytes + excluded.bytes;",
        shard = shard(backend)
    )
}

fn job_upsert(backend: DatabaseBackend, r: &str, sign: i32) -> String {
    format!(
        "INSERT INTO job_totals (state, shard, jobs) VALUES ({r}.state, {shard}, {sign}) \
         ON CONFLICT (state, shard) DO UPDATE SET jobs = job_totals.jobs + excluded.jobs;",
        shard = shard(backend)
    )
}

/// Which updates change a figure.
const NODE_CHANGED: &str = "OLD.size <> NEW.size OR OLD.kind <> NEW.kind \
    OR OLD.owner_id <> NEW.owner_id \
    OR (OLD.trashed_at IS NULL) <> (NEW.trashed_at IS NULL) \
    OR (OLD.parent_id IS NULL) <> (NEW.parent_id IS NULL)";

const TABLES: &str = "\
    CREATE TABLE node_totals (owner_id uuid NOT NULL, shard integer NOT NULL, \
      files bigint NOT NULL, folders bigint NOT NULL, current_bytes bigint NOT NULL, \
      trash_bytes bigint NOT NULL, PRIMARY KEY (owner_id, shard)); \
    CREATE TABLE blob_totals (shard integer NOT NULL PRIMARY KEY, blobs bigint NOT NULL, \
      bytes bigint NOT NULL); \
    CREATE TABLE job_totals (state varchar NOT NULL, shard integer NOT NULL, jobs bigint NOT NULL, \
      PRIMARY KEY (state, shard)); \
    CREATE INDEX idx_versions_created ON versions (created_at); \
    CREATE INDEX idx_users_used ON users (used_bytes);";

/// The totals of what is there already.
const BACKFILL: &str = "\
    INSERT INTO node_totals (owner_id, shard, files, folders, current_bytes, trash_bytes) \
      SELECT owner_id, 0, \
        SUM(CASE WHEN kind = 'file' AND trashed_at IS NULL THEN 1 ELSE 0 END), \
        SUM(CASE WHEN kind = 'folder' AND trashed_at IS NULL AND parent_id IS NOT NULL THEN 1 ELSE 0 END), \
        SUM(CASE WHEN kind = 'file' AND trashed_at IS NULL THEN size ELSE 0 END), \
        SUM(CASE WHEN kind = 'file' AND trashed_at IS NOT NULL THEN size ELSE 0 END) \
      FROM nodes GROUP BY owner_id; \
    INSERT INTO blob_totals (shard, blobs, bytes) SELECT 0, COUNT(*), COALESCE(SUM(size), 0) FROM blobs; \
    INSERT INTO job_totals (state, shard, jobs) SELECT state, 0, COUNT(*) FROM jobs GROUP BY state;";

fn sqlite_triggers() -> String {
    let b = DatabaseBackend::Sqlite;
    format!(
        "CREATE TRIGGER node_totals_insert AFTER INSERT ON nodes BEGIN {} END; \
         CREATE TRIGGER node_totals_delete AFTER DELETE ON nodes BEGIN {} END; \
         CREATE TRIGGER node_totals_update AFTER UPDATE ON nodes WHEN {NODE_CHANGED} \
           BEGIN {} {} END; \
         CREATE TRIGGER blob_totals_insert AFTER INSERT ON blobs BEGIN {} END; \
         CREATE TRIGGER blob_totals_delete AFTER DELETE ON blobs BEGIN {} END; \
         CREATE TRIGGER job_totals_insert AFTER INSERT ON jobs BEGIN {} END; \
         CREATE TRIGGER job_totals_delete AFTER DELETE ON jobs BEGIN {} END; \
         CREATE TRIGGER job_totals_update AFTER UPDATE OF state ON jobs \
           WHEN OLD.state <> NEW.state BEGIN {} {} END;",
        node_upsert(b, "NEW", 1),
        node_upsert(b, "OLD", -1),
        node_upsert(b, "OLD", -1),
        node_upsert(b, "NEW", 1),
        blob_upsert(b, "NEW", 1),
        blob_upsert(b, "OLD", -1),
        job_upsert(b, "NEW", 1),
        job_upsert(b, "OLD", -1),
        job_upsert(b, "OLD", -1),
        job_upsert(b, "NEW", 1),
    )
}

/// One PL/pgSQL function per table, run after each row change.
fn postgres_function(name: &str, upsert: fn(DatabaseBackend, &str, i32) -> String) -> String {
    let b = DatabaseBackend::Postgres;
    format!(
        "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$ BEGIN \
           IF TG_OP IN ('UPDATE', 'DELETE') THEN {} END IF; \
           IF TG_OP IN ('UPDATE', 'INSERT') THEN {} END IF; \
           RETURN NULL; \
         END $body$;",
        upsert(b, "OLD", -1),
        upsert(b, "NEW", 1),
    )
}

fn postgres_triggers() -> Vec<String> {
    vec![
        postgres_function("gosync_node_totals", node_upsert),
        postgres_function("gosync_blob_totals", blob_upsert),
        postgres_function("gosync_job_totals", job_upsert),
        "CREATE TRIGGER node_totals_change AFTER INSERT OR DELETE ON nodes \
           FOR EACH ROW EXECUTE FUNCTION gosync_node_totals()"
            .into(),
        format!(
            "CREATE TRIGGER node_totals_update AFTER UPDATE ON nodes FOR EACH ROW \
               WHEN ({NODE_CHANGED}) EXECUTE FUNCTION gosync_node_totals()"
        ),
        "CREATE TRIGGER blob_totals_change AFTER INSERT OR DELETE ON blobs \
           FOR EACH ROW EXECUTE FUNCTION gosync_blob_totals()"
            .into(),
        "CREATE TRIGGER job_totals_change AFTER INSERT OR DELETE ON jobs \
           FOR EACH ROW EXECUTE FUNCTION gosync_job_totals()"
            .into(),
        "CREATE TRIGGER job_totals_update AFTER UPDATE OF state ON jobs FOR EACH ROW \
           WHEN (OLD.state <> NEW.state) EXECUTE FUNCTION gosync_job_totals()"
            .into(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        for statement in TABLES.split(';').chain(BACKFILL.split(';')) {
            if !statement.trim().is_empty() {
                db.execute_unprepared(statement).await?;
            }
        }
        match backend {
            DatabaseBackend::Postgres => {
                for statement in postgres_triggers() {
                    db.execute_unprepared(&statement).await?;
                }
            }
            _ => {
                db.execute_unprepared(&sqlite_triggers()).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let drops = match manager.get_database_backend() {
            DatabaseBackend::Postgres => vec![
                "DROP TRIGGER node_totals_change ON nodes",
                "DROP TRIGGER node_totals_update ON nodes",
                "DROP TRIGGER blob_totals_change ON blobs",
                "DROP TRIGGER job_totals_change ON jobs",
                "DROP TRIGGER job_totals_update ON jobs",
                "DROP FUNCTION gosync_node_totals",
                "DROP FUNCTION gosync_blob_totals",
                "DROP FUNCTION gosync_job_totals",
            ],
            _ => vec![
                "DROP TRIGGER node_totals_insert",
                "DROP TRIGGER node_totals_delete",
                "DROP TRIGGER node_totals_update",
                "DROP TRIGGER blob_totals_insert",
                "DROP TRIGGER blob_totals_delete",
                "DROP TRIGGER job_totals_insert",
                "DROP TRIGGER job_totals_delete",
                "DROP TRIGGER job_totals_update",
            ],
        };
        for statement in drops.into_iter().chain([
            "DROP INDEX idx_versions_created",
            "DROP INDEX idx_users_used",
            "DROP TABLE node_totals",
            "DROP TABLE blob_totals",
            "DROP TABLE job_totals",
        ]) {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
