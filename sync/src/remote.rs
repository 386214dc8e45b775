//! The server's side of the synced folder, by path. Listed whole the first time; after a run
//! that ended with both sides in step, the next one starts from the base (which then is the
//! server's side) and the change feed since that moment, so that a run over a large tree
//! with nothing new costs one request to the server instead of a listing of every folder.

use std::collections::{BTreeMap, HashMap};

use uuid::Uuid;

use crate::{
    api::Api,
    local::Tree,
    state::Base,
    wire::{Change, Node},
};

/// More changes than this since the last run: listing everything again is quicker.
const MOST_CHANGES: usize = 2_000;

/// The server's items below the synced folder, and where each is.
pub struct Remote {
    root: Uuid,
    items: BTreeMap<String, Node>,
    at: HashMap<Uuid, String>,
    /// Changes after this cursor are not in `items` yet.
    pub cursor: String,
}

fn join(dir: &str, name: &str) -> String {
    match dir {
        "" => name.to_owned(),
        _ => format!("{dir}/{name}"),
    }
}

fn parent_and_name(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

impl Remote {
    /// Everything below `root`, listed folder by folder (the cursor taken first, so that
    /// nothing that changes during the listing is missed).
    pub async fn list(api: &Api, tree: &Tree, root: Uuid) -> anyhow::Result<Self> {
        let cursor = api.latest_cursor().await?;
        let mut remote = Self {
            root,
            items: BTreeMap::new(),
            at: HashMap::new(),
            cursor,
        };
        remote.add_below(api, tree, String::new(), root).await?;
        Ok(remote)
    }

    /// The server's side as the base recorded it when both sides were last in step at
    /// `cursor` (only what changed since is to be read).
    pub fn from_base(root: Uuid, base: &BTreeMap<String, Base>, cursor: String) -> Self {
        let mut remote = Self {
            root,
            items: BTreeMap::new(),
            at: HashMap::new(),
            cursor,
        };
        for (path, b) in base {
            let (_, name) = parent_and_name(path);
            let node = Node {
                id: b.node_id,
                parent_id: None,
                name: name.to_owned(),
                kind: if b.folder { "folder" } else { "file" }.into(),
                size: b.size,
                etag: (!b.folder).then(|| format!("\"{}\"", b.hash)),
                modified_at: chrono::DateTime::UNIX_EPOCH,
                version: None,
            };
            remote.put(path.clone(), node);
        }
        remote
    }

    /// Brought up to date with the change feed; `None` when listing again is the better way
    /// (the cursor is too old for the server, or too much changed).
    pub async fn updated(mut self, api: &Api, tree: &Tree) -> anyhow::Result<Option<Self>> {
        let mut changes = Vec::new();
        loop {
            let page = match api.changes(&self.cursor, 0).await {
                Ok(page) => page,
                Err(e) if e.status() == Some(410) => return Ok(None),
                Err(e) => return Err(e.into()),
            };
            let more = page.next_cursor != self.cursor;
            changes.extend(page.changes);
            self.cursor = page.next_cursor;
            if changes.len() > MOST_CHANGES {
                return Ok(None);
            }
            if !more {
                break;
            }
        }
        for change in changes {
            if !self.apply(api, tree, change).await? {
                return Ok(None);
            }
        }
        Ok(Some(self))
    }

    pub fn items(&self) -> &BTreeMap<String, Node> {
        &self.items
    }

    /// Applies one item's change (it says how the item is now); `false` if it was the synced
    /// folder itself that went.
    async fn apply(&mut self, api: &Api, tree: &Tree, change: Change) -> anyhow::Result<bool> {
        if change.node_id == self.root {
            return Ok(change.state == "live");
        }
        let was = self.at.get(&change.node_id).cloned();
        let moved_below = was.as_ref().map(|p| self.take(p));
        let dir = match change.parent_id {
            Some(p) if p == self.root => Some(String::new()),
            Some(p) => self
                .at
                .get(&p)
                .filter(|d| self.items.get(*d).is_some_and(Node::is_folder))
                .cloned(),
            None => None,
        };
        let (Some(dir), Some(node)) = (dir, change.node()) else {
            return Ok(true); // gone from the synced folder (trashed, moved out, unshared)
        };
        let path = join(&dir, &node.name);
        if tree.ignored(&path, node.is_folder()) {
            return Ok(true);
        }
        // Whatever had the name before has moved or gone: its own change puts it back.
        let (folder, id) = (node.is_folder(), node.id);
        self.put(path.clone(), node);
        match moved_below {
            // A folder moved: what is below it moves along.
            Some(below) => {
                for (rest, item) in below.into_iter().skip(1) {
                    self.put(format!("{path}{rest}"), item);
                }
            }
            // A folder new to this side (made, moved in, restored): its content may be
            // older than the cursor, so it is listed.
            None if folder => self.add_below(api, tree, path, id).await?,
            None => {}
        }
        Ok(true)
    }

    /// Puts `node` at `path`; where it was before (and what was below it), and whatever else
    /// had the path, are no longer there.
    fn put(&mut self, path: String, node: Node) {
        if let Some(old) = self.at.get(&node.id).filter(|old| **old != path).cloned() {
            self.take(&old);
        }
        if self.items.get(&path).is_some_and(|n| n.id != node.id) {
            self.take(&path);
        }
        self.at.insert(node.id, path.clone());
        self.items.insert(path, node);
    }

    /// Removes `path` and everything below it; returns them with their paths relative to
    /// `path` ("" for itself first, then "/name/...").
    fn take(&mut self, path: &str) -> Vec<(String, Node)> {
        let below = self
            .items
            .range(format!("{path}/")..format!("{path}0"))
            .map(|(k, _)| k.clone());
        let keys: Vec<String> = std::iter::once(path.to_owned()).chain(below).collect();
        keys.into_iter()
            .filter_map(|key| {
                let node = self.items.remove(&key)?;
                if self.at.get(&node.id) == Some(&key) {
                    self.at.remove(&node.id);
                }
                Some((key[path.len()..].to_owned(), node))
            })
            .collect()
    }

    /// Lists folder `id` (at `path`) and everything below it, leaving out what is ignored.
    async fn add_below(
        &mut self,
        api: &Api,
        tree: &Tree,
        path: String,
        id: Uuid,
    ) -> anyhow::Result<()> {
        let mut pending = vec![(path, id)];
        while let Some((dir, id)) = pending.pop() {
            for node in api.children(id).await? {
                let path = join(&dir, &node.name);
                if tree.ignored(&path, node.is_folder()) {
                    continue;
                }
                if node.is_folder() {
                    pending.push((path.clone(), node.id));
                }
                self.put(path, node);
            }
        }
        Ok(())
    }
}

impl Change {
    /// The item as it is now, if it is live.
    fn node(&self) -> Option<Node> {
        if self.state != "live" {
            return None;
        }
        Some(Node {
            id: self.node_id,
            parent_id: self.parent_id,
            name: self.name.clone()?,
            kind: self.kind.clone()?,
            size: self.size.unwrap_or(0),
            etag: self.content_hash.as_ref().map(|h| format!("\"{h}\"")),
            modified_at: self.mtime.unwrap_or_default(),
            version: self.version,
        })
    }
}
