use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

/// Running totals for the admin dashboard, kept by triggers in the same transaction as each
/// change (every code path, cascades included), so its figures need no scan of a million
/// rows: per owner the live files and folders and the bytes of current and trashed files,
/// the stored contents, and jobs by state. Each total is spread over 8 rows, so concurrent
/// uploads seldom wait on one another; a figure is the sum of its rows. On PostgreSQL the row
/// is the connection's (its process id): one transaction only ever holds one row of a total,
/// so two cannot deadlock on them. SQLite has one writer at a time: any row will do.
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

/// SQLite: a row chosen at random for each change.
fn shard() -> String {
    format!("abs(random()) % {SHARDS}")
}

/// Adds (`sign` 1) or takes away (-1) row `r`'s figures.
fn node_upsert(r: &str, sign: i32) -> String {
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
        shard = shard()
    )
}

fn blob_upsert(r: &str, sign: i32) -> String {
    format!(
        "INSERT INTO blob_totals (store, shard, blobs, bytes) \
         VALUES ('all', {shard}, {sign}, {sign} * {r}.size) \
         ON CONFLICT (store, shard) DO UPDATE SET blobs = blob_totals.blobs + excluded.blobs, \
           bytes = blob_totals.bytes + excluded.bytes;",
        shard = shard()
    )
}

fn job_upsert(r: &str, sign: i32) -> String {
    format!(
        "INSERT INTO job_totals (state, shard, jobs) VALUES ({r}.state, {shard}, {sign}) \
         ON CONFLICT (state, shard) DO UPDATE SET jobs = job_totals.jobs + excluded.jobs;",
        shard = shard()
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
    CREATE TABLE blob_totals (store varchar NOT NULL, shard integer NOT NULL, \
      blobs bigint NOT NULL, bytes bigint NOT NULL, PRIMARY KEY (store, shard)); \
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
    INSERT INTO blob_totals (store, shard, blobs, bytes) \
      SELECT 'all', 0, COUNT(*), COALESCE(SUM(size), 0) FROM blobs; \
    INSERT INTO job_totals (state, shard, jobs) SELECT state, 0, COUNT(*) FROM jobs GROUP BY state;";

fn sqlite_triggers() -> String {
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
        node_upsert("NEW", 1),
        node_upsert("OLD", -1),
        node_upsert("OLD", -1),
        node_upsert("NEW", 1),
        blob_upsert("NEW", 1),
        blob_upsert("OLD", -1),
        job_upsert("NEW", 1),
        job_upsert("OLD", -1),
        job_upsert("OLD", -1),
        job_upsert("NEW", 1),
    )
}

/// PostgreSQL: one trigger per statement, adding up the rows it changed (its transition
/// tables), so a statement that trashes a folder of 100,000 files writes each total once
/// rather than 100,000 times (a row updated again and again in one transaction grows a chain
/// of versions to walk). `key` is the SQL of a row's key over `r`; `figures` lists each total
/// with the SQL of a row's contribution over `{r}`.
pub(crate) fn postgres_function(
    shards: u32,
    name: &str,
    table: &str,
    (key_column, key): (&str, &str),
    figures: &[(&str, String)],
) -> String {
    let select = |rows: &str, sign: &str| {
        let columns: Vec<String> = figures
            .iter()
            .map(|(total, sql)| format!("{sign}({}) AS {total}", sql.replace("{r}", "r")))
            .collect();
        format!(
            "SELECT {key} AS {key_column}, {} FROM {rows} r",
            columns.join(", ")
        )
    };
    let names: Vec<&str> = figures.iter().map(|f| f.0).collect();
    let sums: Vec<String> = names.iter().map(|n| format!("SUM({n})")).collect();
    let nonzero: Vec<String> = names.iter().map(|n| format!("SUM({n}) <> 0")).collect();
    let updates: Vec<String> = names
        .iter()
        .map(|n| format!("{n} = {table}.{n} + excluded.{n}"))
        .collect();
    let apply = |source: String| {
        format!(
            "INSERT INTO {table} ({key_column}, shard, {names}) \
             SELECT {key_column}, pg_backend_pid() % {shards}, {sums} FROM ({source}) d \
             GROUP BY {key_column} HAVING {nonzero} \
             ON CONFLICT ({key_column}, shard) DO UPDATE SET {updates};",
            names = names.join(", "),
            sums = sums.join(", "),
            nonzero = nonzero.join(" OR "),
            updates = updates.join(", "),
        )
    };
    format!(
        "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$ BEGIN \
           IF TG_OP = 'INSERT' THEN {} \
           ELSIF TG_OP = 'DELETE' THEN {} \
           ELSE {} END IF; \
           RETURN NULL; \
         END $body$;",
        apply(select("new_rows", "")),
        apply(select("old_rows", "-")),
        apply(format!(
            "{} UNION ALL {}",
            select("new_rows", ""),
            select("old_rows", "-")
        )),
    )
}

/// Statement triggers on `table` for its function (transition tables hold the rows changed).
fn postgres_triggers_on(table: &str, function: &str) -> Vec<String> {
    vec![
        format!(
            "CREATE TRIGGER {table}_totals_insert AFTER INSERT ON {table} \
             REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        ),
        format!(
            "CREATE TRIGGER {table}_totals_delete AFTER DELETE ON {table} \
             REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        ),
        format!(
            "CREATE TRIGGER {table}_totals_update AFTER UPDATE ON {table} \
             REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows \
             FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        ),
    ]
}

/// The functions that keep the totals, spread over `shards` rows each.
pub(crate) fn postgres_functions(shards: u32) -> Vec<String> {
    let node: Vec<(&str, String)> = ["files", "folders", "current_bytes", "trash_bytes"]
        .into_iter()
        .zip(node_figures("{r}"))
        .collect();
    let blob = [("blobs", "1".to_owned()), ("bytes", "{r}.size".to_owned())];
    let job = [("jobs", "1".to_owned())];
    vec![
        postgres_function(
            shards,
            "gosync_node_totals",
            "node_totals",
            ("owner_id", "r.owner_id"),
            &node,
        ),
        postgres_function(
            shards,
            "gosync_blob_totals",
            "blob_totals",
            ("store", "'all'"),
            &blob,
        ),
        postgres_function(
            shards,
            "gosync_job_totals",
            "job_totals",
            ("state", "r.state"),
            &job,
        ),
    ]
}

fn postgres_triggers() -> Vec<String> {
    let mut all = postgres_functions(SHARDS);
    all.extend(postgres_triggers_on("nodes", "gosync_node_totals"));
    all.extend(postgres_triggers_on("blobs", "gosync_blob_totals"));
    all.extend(postgres_triggers_on("jobs", "gosync_job_totals"));
    all
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
                "DROP TRIGGER nodes_totals_insert ON nodes",
                "DROP TRIGGER nodes_totals_delete ON nodes",
                "DROP TRIGGER nodes_totals_update ON nodes",
                "DROP TRIGGER blobs_totals_insert ON blobs",
                "DROP TRIGGER blobs_totals_delete ON blobs",
                "DROP TRIGGER blobs_totals_update ON blobs",
                "DROP TRIGGER jobs_totals_insert ON jobs",
                "DROP TRIGGER jobs_totals_delete ON jobs",
                "DROP TRIGGER jobs_totals_update ON jobs",
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
