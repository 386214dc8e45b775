//! The index's fields and how one node becomes one document.

use tantivy::{
    schema::{
        Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED,
        STRING,
    },
    tokenizer::{AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer},
    Index, TantivyDocument,
};

/// Words: split on anything not a letter or digit, lower case, accents folded (`Café` finds
/// `cafe`), very long tokens dropped.
pub const TOKENIZER: &str = "gosync";

#[derive(Clone, Copy)]
pub struct Fields {
    /// The node's id (one document per node).
    pub id: Field,
    pub owner: Field,
    /// The node itself and every folder above it: "under a folder shared with me".
    pub scope: Field,
    pub name: Field,
    /// The names of the folders it is in (stored: the owner's results show it).
    pub path: Field,
    /// Its extracted text (stored, for snippets).
    pub content: Field,
    /// Its [`app::dto::FileType`].
    pub kind: Field,
    pub mime: Field,
    pub size: Field,
    /// Unix seconds.
    pub modified: Field,
    /// A number fixed for the node ([`order_key`]): equal ranks always come in the same order,
    /// so that the pages of a search neither repeat nor skip an item when a segment is merged
    /// or a document written again.
    pub order: Field,
}

/// The name of [`Fields::order`].
pub const ORDER: &str = "order";

/// A node's [`Fields::order`]: the low half of its id.
pub fn order_key(id: uuid::Uuid) -> u64 {
    id.as_u64_pair().1
}

pub fn build() -> (Schema, Fields) {
    let mut schema = Schema::builder();
    let words = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let fields = Fields {
        id: schema.add_text_field("id", STRING | STORED),
        owner: schema.add_text_field("owner", STRING),
        scope: schema.add_text_field("scope", STRING),
        name: schema.add_text_field("name", words(false)),
        path: schema.add_text_field("path", words(true)),
        content: schema.add_text_field("content", words(true)),
        kind: schema.add_text_field("kind", STRING),
        mime: schema.add_text_field("mime", STRING),
        size: schema.add_u64_field("size", INDEXED | FAST),
        modified: schema.add_i64_field("modified", INDEXED | FAST),
        order: schema.add_u64_field(ORDER, FAST),
    };
    (schema.build(), fields)
}

/// Registers [`TOKENIZER`] (tokenizers are not saved with the index).
pub fn register(index: &Index) {
    let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    index.tokenizers().register(TOKENIZER, analyzer);
}

/// What the index knows of one live node.
pub struct Entry {
    pub id: uuid::Uuid,
    pub owner: uuid::Uuid,
    /// The folders above it, from the root down.
    pub ancestors: Vec<uuid::Uuid>,
    pub name: String,
    pub path: String,
    pub text: Option<String>,
    pub kind: app::dto::FileType,
    pub mime: Option<String>,
    pub size: u64,
    pub modified: i64,
}

impl Entry {
    pub fn document(&self, f: &Fields) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, self.id.to_string());
        doc.add_text(f.owner, self.owner.to_string());
        doc.add_text(f.scope, self.id.to_string());
        for folder in &self.ancestors {
            doc.add_text(f.scope, folder.to_string());
        }
        doc.add_text(f.name, &self.name);
        doc.add_text(f.path, &self.path);
        if let Some(text) = &self.text {
            doc.add_text(f.content, text);
        }
        doc.add_text(f.kind, self.kind.as_str());
        if let Some(mime) = &self.mime {
            doc.add_text(f.mime, mime);
        }
        doc.add_u64(f.size, self.size);
        doc.add_i64(f.modified, self.modified);
        doc.add_u64(f.order, order_key(self.id));
        doc
    }
}
