//! The three-way decisions: each path as the base recorded it, as it is here and as it is on
//! the server. Renames come first and are carried as renames (remotely by the item's id,
//! locally by inode, with the size and time or the content to confirm it); then, path by
//! path, what changed on one side is carried to the other; the same change on both sides is
//! nothing; different changes keep the server's copy under the name and the local one as a
//! conflict copy; a change beats a deletion.

use std::collections::{BTreeMap, HashMap};

use uuid::Uuid;

use crate::action::Action;
use crate::{local::Local, state::Base, wire::Node};

/// The three sides; renames found are applied to these maps as they are planned.
pub struct Sides {
    pub base: BTreeMap<String, Base>,
    pub local: BTreeMap<String, Local>,
    pub remote: BTreeMap<String, Node>,
}

fn depth(path: &str) -> usize {
    path.matches('/').count()
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(p, _)| p)
}

/// The keys at `from` and below it, found by range (`'0'` sorts right after `'/'`).
fn keys_under<V>(map: &BTreeMap<String, V>, from: &str) -> Vec<String> {
    let below = map
        .range(format!("{from}/")..format!("{from}0"))
        .map(|(k, _)| k.clone());
    map.get_key_value(from)
        .map(|(k, _)| k.clone())
        .into_iter()
        .chain(below)
        .collect()
}

/// Moves the key `from` and every key below it to `to`; returns the keys as they were.
fn rekey<V>(map: &mut BTreeMap<String, V>, from: &str, to: &str) -> Vec<String> {
    let keys = keys_under(map, from);
    let moved: Vec<(String, V)> = keys
        .iter()
        .filter_map(|k| {
            map.remove(k)
                .map(|v| (format!("{to}{}", &k[from.len()..]), v))
        })
        .collect();
    map.extend(moved);
    keys
}

impl Sides {
    /// Finds renames on either side, applies them to the maps, and returns them in order.
    fn renames(&mut self) -> Vec<Action> {
        let mut actions = Vec::new();
        // Where each of the server's items is, kept up to date as its side is rekeyed.
        let mut at: HashMap<Uuid, String> =
            self.remote.iter().map(|(p, n)| (n.id, p.clone())).collect();
        // What here has each inode (a folder's files all share the same parent: few collide).
        let mut inodes: HashMap<u64, Vec<String>> = HashMap::new();
        for (path, local) in &self.local {
            inodes.entry(local.inode).or_default().push(path.clone());
        }
        let mut paths: Vec<String> = self.base.keys().cloned().collect();
        paths.sort_by_key(|p| depth(p));
        for path in paths {
            let Some(base) = self.base.get(&path).cloned() else {
                continue; // moved with its folder already
            };
            let remote_at = at.get(&base.node_id).cloned();
            match remote_at {
                Some(to) if to != path => {
                    // Into a folder here, or one coming from the server (made on the way).
                    let dir = parent(&to);
                    let parent_here = dir.is_empty()
                        || self.local.contains_key(dir)
                        || self.remote.get(dir).is_some_and(|n| n.is_folder());
                    // Moved here too, elsewhere: the server's name wins, as its content does.
                    let from = match self.local.contains_key(&path) {
                        true => Some(path.clone()),
                        false => self.moved_here(&path, &base, &inodes),
                    };
                    let from = from.filter(|_| !self.local.contains_key(&to) && parent_here);
                    if let Some(from) = from {
                        for old in rekey(&mut self.local, &from, &to) {
                            let new = format!("{to}{}", &old[from.len()..]);
                            if let Some(l) = self.local.get(&new) {
                                let same = inodes.entry(l.inode).or_default();
                                same.retain(|p| *p != old);
                                same.push(new);
                            }
                        }
                        rekey(&mut self.base, &path, &to);
                        actions.push(Action::RenameLocal {
                            from,
                            to,
                            base: path,
                        });
                    }
                }
                Some(_) if !self.local.contains_key(&path) => {
                    if let Some(to) = self.moved_here(&path, &base, &inodes) {
                        for old in rekey(&mut self.remote, &path, &to) {
                            let new = format!("{to}{}", &old[path.len()..]);
                            if let Some(n) = self.remote.get(&new) {
                                at.insert(n.id, new);
                            }
                        }
                        rekey(&mut self.base, &path, &to);
                        actions.push(Action::RenameRemote {
                            from: path,
                            to,
                            id: base.node_id,
                        });
                    }
                }
                _ => {}
            }
        }
        actions
    }

    /// Where the item the base has at `path` went here, if it was moved (same inode, a path
    /// new to the base, and for a file the same size and time, or the same content).
    fn moved_here(
        &self,
        path: &str,
        base: &Base,
        inodes: &HashMap<u64, Vec<String>>,
    ) -> Option<String> {
        // Into a folder the server has, or a new one here (made there on the way).
        let parent_ok = |to: &str| {
            let dir = parent(to);
            dir.is_empty()
                || self.remote.contains_key(dir)
                || self.local.get(dir).is_some_and(|l| l.folder)
        };
        let same_inode = inodes.get(&base.inode).into_iter().flatten();
        same_inode
            .filter_map(|to| self.local.get_key_value(to))
            .find(|(to, l)| {
                l.inode == base.inode
                    && l.folder == base.folder
                    && !self.base.contains_key(*to)
                    && !self.remote.contains_key(*to)
                    && parent_ok(to)
                    && (l.folder
                        || (l.size == base.size && l.mtime_ns == base.mtime_ns)
                        || l.hash.as_deref() == Some(base.hash.as_str()))
                    && *to != path
            })
            .map(|(to, _)| to.clone())
    }

    /// Every action, in the order they can be carried out.
    pub fn plan(mut self) -> Vec<Action> {
        let mut actions = self.renames();
        let mut paths: Vec<&String> = self
            .base
            .keys()
            .chain(self.local.keys())
            .chain(self.remote.keys())
            .collect();
        paths.sort();
        paths.dedup();
        let mut decided: Vec<Action> = paths
            .into_iter()
            .filter_map(|p| decide(p, self.base.get(p), self.local.get(p), self.remote.get(p)))
            .collect();
        keep_folders_of_kept_items(&mut decided);
        // Folders made before what goes in them, deletions deepest first, after the rest.
        decided.sort_by(|a, b| {
            let (ka, kb) = (order(a), order(b));
            ka.cmp(&kb).then_with(|| match ka {
                3 => b.path().cmp(a.path()),
                _ => a.path().cmp(b.path()),
            })
        });
        actions.extend(decided);
        actions
    }
}

fn order(action: &Action) -> u8 {
    match action {
        Action::MkdirLocal { .. } | Action::MkdirRemote { .. } | Action::Link { .. } => 1,
        Action::DeleteLocal { .. } | Action::DeleteRemote { .. } | Action::Forget { .. } => 3,
        _ => 2,
    }
}

/// A folder deleted on one side but holding something changed or new on the other is not
/// deleted: it is made again where it went, with what is kept.
fn keep_folders_of_kept_items(actions: &mut [Action]) {
    let kept_here: Vec<String> = actions
        .iter()
        .filter(|a| {
            matches!(
                a,
                Action::Upload { .. } | Action::MkdirRemote { .. } | Action::Conflict { .. }
            )
        })
        .map(|a| a.path().to_owned())
        .collect();
    let kept_there: Vec<String> = actions
        .iter()
        .filter(|a| matches!(a, Action::Download { .. } | Action::MkdirLocal { .. }))
        .map(|a| a.path().to_owned())
        .collect();
    let holds = |folder: &str, paths: &[String]| {
        let below = format!("{folder}/");
        paths.iter().any(|p| p.starts_with(&below))
    };
    for action in actions.iter_mut() {
        match action {
            Action::DeleteLocal { path, folder: true } if holds(path, &kept_here) => {
                *action = Action::MkdirRemote { path: path.clone() };
            }
            Action::DeleteRemote {
                path, folder: true, ..
            } if holds(path, &kept_there) => {
                *action = Action::Forget { path: path.clone() };
            }
            _ => {}
        }
    }
}

/// What to do with one path.
fn decide(path: &str, b: Option<&Base>, l: Option<&Local>, r: Option<&Node>) -> Option<Action> {
    let path = path.to_owned();
    let same_as_base = |l: &Local, b: &Base| {
        l.folder == b.folder && (l.folder || l.hash.as_deref() == Some(b.hash.as_str()))
    };
    let remote_same = |r: &Node, b: &Base| {
        r.id == b.node_id
            && r.is_folder() == b.folder
            && (b.folder || r.hash().as_deref() == Some(b.hash.as_str()))
    };
    match (b, l, r) {
        (_, None, None) => b.map(|_| Action::Forget { path }),
        (None, Some(l), None) => Some(match l.folder {
            true => Action::MkdirRemote { path },
            false => Action::Upload { path },
        }),
        (None, None, Some(r)) => Some(fetch(path, r)),
        (None, Some(l), Some(r)) => Some(both_new(path, l, r)),
        (Some(b), Some(l), None) => Some(if same_as_base(l, b) {
            Action::DeleteLocal {
                path,
                folder: l.folder,
            }
        } else if l.folder {
            Action::MkdirRemote { path }
        } else {
            Action::Upload { path } // changed here, deleted there: the change wins
        }),
        (Some(b), None, Some(r)) => Some(if remote_same(r, b) {
            Action::DeleteRemote {
                path,
                id: r.id,
                folder: r.is_folder(),
            }
        } else {
            fetch(path, r) // deleted here, changed there: the change wins
        }),
        (Some(b), Some(l), Some(r)) => {
            let (here, there) = (!same_as_base(l, b), !remote_same(r, b));
            match (here, there) {
                (false, false) if r.id == b.node_id => None,
                (true, false) if !l.folder && r.id == b.node_id => Some(Action::Upload { path }),
                (false, _) => Some(fetch(path, r)),
                (true, _) => Some(both_new(path, l, r)),
            }
        }
    }
}

fn fetch(path: String, r: &Node) -> Action {
    match r.is_folder() {
        true => Action::MkdirLocal {
            path,
            node: r.clone(),
        },
        false => Action::Download {
            path,
            node: r.clone(),
        },
    }
}

/// Both sides have something at the path that the base does not explain.
fn both_new(path: String, l: &Local, r: &Node) -> Action {
    match (l.folder, r.is_folder()) {
        (true, true) => Action::Link {
            path,
            node: r.clone(),
        },
        (false, false) if l.hash == r.hash() => Action::Link {
            path,
            node: r.clone(),
        },
        _ => Action::Conflict {
            path,
            node: r.clone(),
        },
    }
}

/// How many files the actions would delete (on either side), and how many the base has.
pub fn deletions(actions: &[Action], base: &BTreeMap<String, Base>) -> (usize, usize) {
    let files = base.values().filter(|b| !b.folder).count();
    let mut counted: std::collections::HashSet<String> = Default::default();
    for action in actions {
        let (Action::DeleteLocal { path, .. } | Action::DeleteRemote { path, .. }) = action else {
            continue;
        };
        for p in keys_under(base, path) {
            if base.get(&p).is_some_and(|b| !b.folder) {
                counted.insert(p);
            }
        }
    }
    (counted.len(), files)
}
