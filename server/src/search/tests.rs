//! The index on its own: pages of equal matches stay in one order while documents move.

use app::dto::{FileType, SearchQuery};
use uuid::Uuid;

use super::{
    query::{self, Searcher},
    schema::Entry,
    Op, Search,
};

fn entry(id: Uuid, owner: Uuid, modified: i64) -> Entry {
    Entry {
        id,
        owner,
        ancestors: Vec::new(),
        name: "plan.txt".to_owned(),
        path: String::new(),
        text: None,
        kind: FileType::Document,
        mime: Some("text/plain".to_owned()),
        size: 4,
        modified,
    }
}

/// Reads one result at a time by offset, writing the item just seen again before the next page
/// (as an edit or a text extraction does): every item is seen once.
fn page_through(search: &Search, me: Uuid, q: &SearchQuery, count: usize) -> Vec<Uuid> {
    let who = Searcher { me, shared: &[] };
    let mut seen = Vec::new();
    for (offset, change) in (0..count).zip(2..) {
        let (found, total) = query::run(search, q, &who, offset, 1).expect("the search runs");
        assert_eq!(total, count);
        let id = found[0].id;
        seen.push(id);
        search
            .apply(vec![Op::Remove(id), Op::Add(entry(id, me, 1_700_000_000))])
            .unwrap();
        search.commit(change).unwrap();
    }
    seen
}

#[test]
fn equal_matches_keep_their_order_across_pages_while_documents_are_written_again() {
    let dir = tempfile::tempdir().unwrap();
    let search = Search::open(dir.path()).unwrap();
    let me = Uuid::new_v4();
    let ids: Vec<Uuid> = (0..4).map(|_| Uuid::new_v4()).collect();
    let ops = ids
        .iter()
        .map(|id| Op::Add(entry(*id, me, 1_700_000_000)))
        .collect();
    search.apply(ops).unwrap();
    search.commit(1).unwrap();
    let words = SearchQuery {
        q: "plan".to_owned(),
        ..SearchQuery::default()
    };
    let filters = SearchQuery {
        kind: Some(FileType::Document),
        ..SearchQuery::default()
    };
    for q in [words, filters] {
        let mut seen = page_through(&search, me, &q, ids.len());
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), ids.len(), "{q:?}: each item once");
    }
}
