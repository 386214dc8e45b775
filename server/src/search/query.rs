//! Turning a [`SearchQuery`] into a tantivy query and running it: words in names rank above
//! words in folder paths and text; a word of four letters or more also matches names one typo
//! away, and the last word as a prefix (results as you type); quotes make a phrase. Only
//! documents the searcher owns or that lie under an item shared with them can match.

use std::ops::Bound;

use app::dto::{OwnerFilter, SearchQuery, SnippetPart};
use tantivy::{
    collector::{
        sort_key::{SortBySimilarityScore, SortByStaticFastValue},
        Count, TopDocs,
    },
    query::{
        AllQuery, BooleanQuery, BoostQuery, EmptyQuery, FuzzyTermQuery, Occur, Query, QueryParser,
        RangeQuery, RegexQuery, TermQuery, TermSetQuery,
    },
    schema::{IndexRecordOption, Value},
    snippet::SnippetGenerator,
    DocAddress, Order, TantivyDocument, Term,
};
use uuid::Uuid;

use super::{
    schema::{Fields, ORDER},
    Search,
};

/// Characters of text around a match.
const SNIPPET_CHARS: usize = 180;

/// One match, best first.
pub struct Found {
    pub id: Uuid,
    /// The folder path the index holds (`Projects/2026`), as of its last change.
    pub path: Option<String>,
    pub snippet: Vec<SnippetPart>,
}

/// Who is searching: their id and the items shared with them.
pub struct Searcher<'a> {
    pub me: Uuid,
    pub shared: &'a [Uuid],
}

/// Runs the query: up to `limit` matches after `offset`, and how many there are in all.
pub fn run(
    search: &Search,
    q: &SearchQuery,
    who: &Searcher<'_>,
    offset: usize,
    limit: usize,
) -> anyhow::Result<(Vec<Found>, usize)> {
    let f = &search.fields;
    let searcher = search.reader().searcher();
    let words = words(search, q)?;
    let mut must: Vec<Box<dyn Query>> = vec![allowed(f, q, who)];
    must.extend(filters(f, q)?);
    let text = match &words {
        Some((main, fuzzy)) => {
            let mut either: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, main.box_clone())];
            if let Some(fuzzy) = fuzzy {
                either.push((Occur::Should, fuzzy.box_clone()));
            }
            Box::new(BooleanQuery::new(either)) as Box<dyn Query>
        }
        None => Box::new(AllQuery),
    };
    must.push(text);
    let query = BooleanQuery::new(must.into_iter().map(|q| (Occur::Must, q)).collect());
    let top = TopDocs::with_limit(limit.max(1)).and_offset(offset);
    // Equal ranks follow each node's fixed order key, never where its document happens to sit.
    let tie = (SortByStaticFastValue::<u64>::for_field(ORDER), Order::Asc);
    let (addresses, total): (Vec<DocAddress>, usize) = if words.is_some() {
        let best = top.order_by((SortBySimilarityScore, tie));
        let (scored, total) = searcher.search(&query, &(best, Count))?;
        (scored.into_iter().map(|(_, a)| a).collect(), total)
    } else {
        // Filters only: the most recently changed first.
        let modified = SortByStaticFastValue::<i64>::for_field("modified");
        let newest = top.order_by(((modified, Order::Desc), tie));
        let (sorted, total) = searcher.search(&query, &(newest, Count))?;
        (sorted.into_iter().map(|(_, a)| a).collect(), total)
    };
    let snippets = match &words {
        Some((main, _)) => {
            let mut generator = SnippetGenerator::create(&searcher, main.as_ref(), f.content)?;
            generator.set_max_num_chars(SNIPPET_CHARS);
            Some(generator)
        }
        None => None,
    };
    let mut found = Vec::with_capacity(addresses.len());
    for address in addresses {
        let doc: TantivyDocument = searcher.doc(address)?;
        let Some(id) = doc
            .get_first(f.id)
            .and_then(|v| v.as_str())
            .and_then(|s| Uuid::parse_str(s).ok())
        else {
            continue;
        };
        let snippet = snippets
            .as_ref()
            .map(|g| parts(&g.snippet_from_doc(&doc)))
            .unwrap_or_default();
        let path = doc
            .get_first(f.path)
            .and_then(|v| v.as_str())
            .map(str::to_owned);
        found.push(Found { id, path, snippet });
    }
    Ok((found, total))
}

/// The words' query, and the typo-tolerant name query beside it (none for a phrase).
type Words = (Box<dyn Query>, Option<Box<dyn Query>>);

fn words(search: &Search, q: &SearchQuery) -> anyhow::Result<Option<Words>> {
    let f = &search.fields;
    let text = q.q.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let mut parser = QueryParser::for_index(search.index(), vec![f.name, f.path, f.content]);
    parser.set_conjunction_by_default();
    parser.set_field_boost(f.name, 4.0);
    parser.set_field_boost(f.path, 0.5);
    // Query syntax typed by accident (a stray colon or bracket) is read as words.
    let (main, _) = parser.parse_query_lenient(&plain(text));
    if text.contains('"') {
        return Ok(Some((main, None)));
    }
    let mut analyzer = search.index().tokenizer_for_field(f.name)?;
    let mut tokens = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        tokens.push(token.text.clone());
    }
    if tokens.is_empty() {
        return Ok(Some((main, None)));
    }
    let typing = !text.ends_with(char::is_whitespace);
    let last = tokens.len() - 1;
    let clauses = tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            let term = Term::from_field_text(f.name, token);
            let distance = u8::from(token.chars().count() >= 4);
            let fuzzy = if i == last && typing {
                FuzzyTermQuery::new_prefix(term, distance, true)
            } else {
                FuzzyTermQuery::new(term, distance, true)
            };
            (Occur::Must, Box::new(fuzzy) as Box<dyn Query>)
        })
        .collect();
    let fuzzy = BoostQuery::new(Box::new(BooleanQuery::new(clauses)), 2.0);
    Ok(Some((main, Some(Box::new(fuzzy)))))
}

/// The text with the query language's operators other than quotes taken as plain words.
fn plain(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c == '"' || c.is_alphanumeric() || c.is_whitespace() {
                c
            } else {
                ' '
            }
        })
        .collect()
}

/// What the searcher may see, narrowed by the owner and shared filters.
fn allowed(f: &Fields, q: &SearchQuery, who: &Searcher<'_>) -> Box<dyn Query> {
    let mine = || -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(f.owner, &who.me.to_string()),
            IndexRecordOption::Basic,
        ))
    };
    let shared = || -> Box<dyn Query> {
        if who.shared.is_empty() {
            return Box::new(EmptyQuery);
        }
        let terms = who
            .shared
            .iter()
            .map(|id| Term::from_field_text(f.scope, &id.to_string()));
        Box::new(BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermSetQuery::new(terms)) as Box<dyn Query>,
            ),
            (Occur::MustNot, mine()),
        ]))
    };
    match (q.owner, q.shared) {
        (Some(OwnerFilter::Me), false) => mine(),
        (Some(OwnerFilter::Me), true) => Box::new(EmptyQuery),
        (Some(OwnerFilter::Others), _) | (None, true) => shared(),
        (None, false) => Box::new(BooleanQuery::new(vec![
            (Occur::Should, mine()),
            (Occur::Should, shared()),
        ])),
    }
}

/// The type, size and date filters.
fn filters(f: &Fields, q: &SearchQuery) -> anyhow::Result<Vec<Box<dyn Query>>> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    if let Some(kind) = q.kind {
        out.push(Box::new(TermQuery::new(
            Term::from_field_text(f.kind, kind.as_str()),
            IndexRecordOption::Basic,
        )));
    }
    if let Some(mime) = &q.mime {
        match mime.strip_suffix("/*") {
            // `image/*`: the service allows only letters, digits and `.+-` here.
            Some(family) => out.push(Box::new(RegexQuery::from_pattern(
                &format!("{}/.*", regex_literal(family)),
                f.mime,
            )?)),
            None => out.push(Box::new(TermQuery::new(
                Term::from_field_text(f.mime, mime),
                IndexRecordOption::Basic,
            ))),
        }
    }
    if q.min_size.is_some() || q.max_size.is_some() {
        let bound = |v: Option<u64>| {
            v.map_or(Bound::Unbounded, |v| {
                Bound::Included(Term::from_field_u64(f.size, v))
            })
        };
        out.push(Box::new(RangeQuery::new(
            bound(q.min_size),
            bound(q.max_size),
        )));
    }
    if q.modified_after.is_some() || q.modified_before.is_some() {
        let bound = |v: Option<i64>| {
            v.map_or(Bound::Unbounded, |v| {
                Bound::Included(Term::from_field_i64(f.modified, v))
            })
        };
        out.push(Box::new(RangeQuery::new(
            bound(q.modified_after),
            bound(q.modified_before),
        )));
    }
    Ok(out)
}

fn regex_literal(text: &str) -> String {
    text.chars()
        .flat_map(|c| match c {
            '.' | '+' | '-' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

/// A snippet as plain pieces, the matched words marked.
fn parts(snippet: &tantivy::snippet::Snippet) -> Vec<SnippetPart> {
    let text = snippet.fragment();
    let mut out = Vec::new();
    let mut at = 0;
    for range in snippet.highlighted() {
        if range.start > at {
            out.push(SnippetPart {
                text: text[at..range.start].to_owned(),
                hit: false,
            });
        }
        out.push(SnippetPart {
            text: text[range.clone()].to_owned(),
            hit: true,
        });
        at = range.end;
    }
    if at < text.len() {
        out.push(SnippetPart {
            text: text[at..].to_owned(),
            hit: false,
        });
    }
    if out.iter().all(|p| !p.hit) {
        out.clear();
    }
    out
}
