//! From a WebDAV path to what it names: the person's root and the items below it, or in
//! `/dav-shared/` an item shared with them (shown as "name (owner)") and what is below it.

use std::collections::HashMap;

use uuid::Uuid;

use super::{
    path::{DavPath, Space},
    reply::Reply,
    Dav,
};
use crate::entities::node;

/// The folder a missing item would go in.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // one per request, never in a collection
pub enum Parent {
    Folder(node::Model),
    /// `/dav-shared/` itself, where nothing can be made.
    SharedRoot,
}

#[derive(Debug, Clone)]
pub enum Found {
    SharedRoot,
    Node(node::Model),
    /// Nothing there; the folder it would go in, when that exists.
    Missing(Option<Parent>),
}

/// A resolved path: what it names, the folder it is in, and the items on the way (with their
/// hrefs, for lock roots).
#[derive(Debug, Clone)]
pub struct Place {
    pub path: DavPath,
    pub found: Found,
    pub parent: Option<Parent>,
    pub chain: Vec<(Uuid, String)>,
}

impl Place {
    pub fn node(&self) -> Option<&node::Model> {
        match &self.found {
            Found::Node(n) => Some(n),
            _ => None,
        }
    }

    /// The item, for a method that needs one: 404 when there is none, 403 with `refusal` for
    /// `/dav-shared/` itself.
    pub fn existing(&self, refusal: &str) -> Result<&node::Model, Reply> {
        match &self.found {
            Found::Node(n) => Ok(n),
            Found::SharedRoot => Err(Reply::forbidden(refusal)),
            Found::Missing(_) => Err(Reply::not_found()),
        }
    }

    /// The folder the item is (or would be) in, when it is a real folder.
    pub fn parent_folder(&self) -> Option<&node::Model> {
        match (&self.found, &self.parent) {
            (_, Some(Parent::Folder(f))) => Some(f),
            (Found::Missing(Some(Parent::Folder(f))), _) => Some(f),
            _ => None,
        }
    }

    /// The path of each item on the way, by id.
    pub fn hrefs(&self) -> HashMap<Uuid, String> {
        self.chain.iter().cloned().collect()
    }
}

/// The names `/dav-shared/` shows for what is shared with the person: "name (owner)"
/// ("stem (owner).ext" for a file), numbered where two would be the same.
pub fn shared_names(items: Vec<(node::Model, String)>) -> Vec<(String, node::Model)> {
    let mut taken: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(items.len());
    for (item, owner) in items {
        let (stem, ext) = match item.name.rsplit_once('.') {
            Some((stem, ext)) if !item.is_folder() && !stem.is_empty() => {
                (stem.to_owned(), format!(".{ext}"))
            }
            _ => (item.name.clone(), String::new()),
        };
        let base = format!("{stem} ({owner})");
        let count = taken.entry(format!("{base}{ext}")).or_insert(0);
        *count += 1;
        let name = if *count == 1 {
            format!("{base}{ext}")
        } else {
            format!("{base} {count}{ext}")
        };
        out.push((name, item));
    }
    out
}

impl Dav {
    /// What is shared with the person, by the names `/dav-shared/` shows.
    pub async fn shared(&self) -> Result<Vec<(String, node::Model)>, Reply> {
        let grants = self.service.shared_with_me(&self.actor).await?;
        let items = grants
            .into_iter()
            .map(|(_, item, owner)| {
                let owner = owner.map_or_else(|| "someone".to_owned(), |o| o.name);
                (item, owner)
            })
            .collect();
        Ok(shared_names(items))
    }

    /// What `path` names.
    pub async fn resolve(&self, path: &DavPath) -> Result<Place, Reply> {
        match path.space {
            Space::Own => {
                let root = self.service.root(&self.actor).await?;
                let base = DavPath {
                    space: Space::Own,
                    names: Vec::new(),
                };
                self.walk(path, root.id, base, 0, None).await
            }
            Space::Shared => {
                let Some(first) = path.names.first() else {
                    return Ok(Place {
                        path: path.clone(),
                        found: Found::SharedRoot,
                        parent: None,
                        chain: Vec::new(),
                    });
                };
                let shared = self.shared().await?;
                let Some((_, top)) = shared.into_iter().find(|(name, _)| name == first) else {
                    let parent = (path.names.len() == 1).then_some(Parent::SharedRoot);
                    return Ok(Place {
                        path: path.clone(),
                        found: Found::Missing(parent.clone()),
                        parent,
                        chain: Vec::new(),
                    });
                };
                let base = DavPath {
                    space: Space::Shared,
                    names: vec![first.clone()],
                };
                self.walk(path, top.id, base, 1, Some(Parent::SharedRoot))
                    .await
            }
        }
    }

    async fn walk(
        &self,
        path: &DavPath,
        from: Uuid,
        base: DavPath,
        skip: usize,
        above: Option<Parent>,
    ) -> Result<Place, Reply> {
        let names = &path.names[skip..];
        let found = self.service.walk(&self.actor, from, names).await?;
        let mut chain = Vec::with_capacity(found.len());
        let mut at = base;
        for (i, node) in found.iter().enumerate() {
            if i > 0 {
                at = at.child(&names[i - 1]);
            }
            chain.push((node.id, at.href(node.is_folder())));
        }
        let parent_of = |i: usize| -> Option<Parent> {
            if i == 0 {
                above.clone()
            } else {
                Some(Parent::Folder(found[i - 1].clone()))
            }
        };
        let (found, parent) = if found.len() == names.len() + 1 {
            let last = found.len() - 1;
            (Found::Node(found[last].clone()), parent_of(last))
        } else if found.len() == names.len() && found.last().is_some_and(node::Model::is_folder) {
            let parent = found.last().cloned().map(Parent::Folder);
            (Found::Missing(parent.clone()), parent)
        } else {
            (Found::Missing(None), None)
        };
        Ok(Place {
            path: path.clone(),
            found,
            parent,
            chain,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str, folder: bool) -> node::Model {
        let now = chrono::Utc::now();
        node::Model {
            id: Uuid::new_v4(),
            owner_id: Uuid::new_v4(),
            parent_id: Some(Uuid::new_v4()),
            name: name.into(),
            kind: if folder { "folder" } else { "file" }.into(),
            size: 0,
            mime: None,
            created_at: now,
            modified_at: now,
            trashed_at: None,
            trash_root_id: None,
            sha256: None,
            version: None,
        }
    }

    #[test]
    fn shared_items_are_named_with_their_owner_and_numbered_when_they_collide() {
        let names: Vec<String> = shared_names(vec![
            (item("Projects", true), "Ann".into()),
            (item("Projects", true), "Ann".into()),
            (item("report.pdf", false), "Bob".into()),
        ])
        .into_iter()
        .map(|(n, _)| n)
        .collect();
        assert_eq!(
            names,
            vec!["Projects (Ann)", "Projects (Ann) 2", "report (Bob).pdf"]
        );
    }
}
