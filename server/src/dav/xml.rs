//! The little XML WebDAV needs: request bodies parsed into a tree of namespaced elements
//! (refusing what is not well-formed), and values written back with their namespaces.

use quick_xml::{
    escape::escape,
    events::{attributes::Attribute, BytesStart, Event},
    name::ResolveResult,
    NsReader,
};

pub const DAV: &str = "DAV:";

/// An element, its namespace, attributes (namespace, local name, value) and content.
#[derive(Debug, Clone, Default)]
pub struct Elem {
    pub ns: String,
    pub name: String,
    pub attrs: Vec<(String, String, String)>,
    pub children: Vec<Content>,
}

#[derive(Debug, Clone)]
pub enum Content {
    Elem(Elem),
    Text(String),
}

/// The body is not XML that WebDAV can read.
#[derive(Debug)]
pub struct Malformed;

impl Elem {
    pub fn is(&self, ns: &str, name: &str) -> bool {
        self.ns == ns && self.name == name
    }

    /// The child elements.
    pub fn elems(&self) -> impl Iterator<Item = &Elem> {
        self.children.iter().filter_map(|c| match c {
            Content::Elem(e) => Some(e),
            Content::Text(_) => None,
        })
    }

    pub fn child(&self, ns: &str, name: &str) -> Option<&Elem> {
        self.elems().find(|e| e.is(ns, name))
    }

    /// The text content (of this element only, not its children's).
    pub fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|c| match c {
                Content::Text(t) => Some(t.as_str()),
                Content::Elem(_) => None,
            })
            .collect()
    }

    /// The content as XML that stands alone: every element declares its namespace.
    pub fn inner_xml(&self) -> String {
        let mut out = String::new();
        for child in &self.children {
            match child {
                Content::Text(t) => out.push_str(&escape(t.as_str())),
                Content::Elem(e) => e.write(&mut out),
            }
        }
        out
    }

    fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        out.push_str(" xmlns=\"");
        out.push_str(&escape(self.ns.as_str()));
        out.push('"');
        for (i, (ns, name, value)) in self.attrs.iter().enumerate() {
            if ns == XML_NS {
                out.push_str(&format!(" xml:{name}=\"{}\"", escape(value.as_str())));
            } else if ns.is_empty() {
                out.push_str(&format!(" {name}=\"{}\"", escape(value.as_str())));
            } else {
                out.push_str(&format!(
                    " xmlns:a{i}=\"{}\" a{i}:{name}=\"{}\"",
                    escape(ns.as_str()),
                    escape(value.as_str())
                ));
            }
        }
        if self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        out.push_str(&self.inner_xml());
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }
}

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// The root element of `body`; None for an empty body.
pub fn parse(body: &[u8]) -> Result<Option<Elem>, Malformed> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let mut reader = NsReader::from_reader(body);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Elem> = Vec::new();
    let mut root = None;
    let mut buf = Vec::new();
    loop {
        let (resolved, event) = reader
            .read_resolved_event_into(&mut buf)
            .map_err(|_| Malformed)?;
        let ns = match &event {
            Event::Start(_) | Event::Empty(_) => namespace(resolved)?,
            _ => String::new(),
        };
        match event {
            Event::Start(start) => {
                let elem = element(&reader, ns, &start)?;
                stack.push(elem);
            }
            Event::Empty(start) => {
                let elem = element(&reader, ns, &start)?;
                close(&mut stack, &mut root, elem)?;
            }
            Event::End(_) => {
                let elem = stack.pop().ok_or(Malformed)?;
                close(&mut stack, &mut root, elem)?;
            }
            Event::Text(text) => {
                push_text(&mut stack, &text.xml10_content())?;
            }
            Event::CData(data) => {
                push_text(&mut stack, &data.into_inner())?;
            }
            Event::GeneralRef(reference) => {
                let text = match reference.resolve_char_ref().map_err(|_| Malformed)? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(
                        &reference.clone().into_inner(),
                    )
                    .ok_or(Malformed)?
                    .to_owned(),
                };
                push_text(&mut stack, &text)?;
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !stack.is_empty() {
        return Err(Malformed);
    }
    root.map(Some).ok_or(Malformed)
}

fn push_text(stack: &mut [Elem], text: &str) -> Result<(), Malformed> {
    match stack.last_mut() {
        Some(elem) => {
            if let Some(Content::Text(t)) = elem.children.last_mut() {
                t.push_str(text);
            } else {
                elem.children.push(Content::Text(text.to_owned()));
            }
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err(Malformed),
    }
}

fn close(stack: &mut [Elem], root: &mut Option<Elem>, elem: Elem) -> Result<(), Malformed> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Content::Elem(elem)),
        None if root.is_none() => *root = Some(elem),
        None => return Err(Malformed),
    }
    Ok(())
}

fn element(reader: &NsReader<&[u8]>, ns: String, start: &BytesStart) -> Result<Elem, Malformed> {
    let name = start.local_name().as_ref().to_owned();
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr: Attribute = attr.map_err(|_| Malformed)?;
        let key = attr.key.as_ref();
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|_| Malformed)?
            .into_owned();
        if key == "xmlns" {
            continue;
        }
        if key.starts_with("xmlns:") {
            // Namespaces in XML 1.0: a prefix cannot be bound to the empty name.
            if value.is_empty() {
                return Err(Malformed);
            }
            continue;
        }
        let (resolved, local) = reader.resolver().resolve_attribute(attr.key);
        let ns = if key.starts_with("xml:") {
            XML_NS.to_owned()
        } else {
            match resolved {
                ResolveResult::Unbound => String::new(),
                other => namespace(other)?,
            }
        };
        let local = local.as_ref().to_owned();
        attrs.push((ns, local, value));
    }
    Ok(Elem {
        ns,
        name,
        attrs,
        children: Vec::new(),
    })
}

fn namespace(resolved: ResolveResult) -> Result<String, Malformed> {
    match resolved {
        ResolveResult::Bound(ns) => Ok(ns.as_ref().to_owned()),
        ResolveResult::Unbound => Ok(String::new()),
        ResolveResult::Unknown(_) => Err(Malformed),
    }
}

/// The opening and closing tags of property `ns:name` in a response whose root declares
/// `D` as `DAV:`.
pub fn prop_tags(ns: &str, name: &str) -> (String, String) {
    if ns == DAV {
        (format!("<D:{name}>"), format!("</D:{name}>"))
    } else if ns.is_empty() {
        (format!("<{name} xmlns=\"\">"), format!("</{name}>"))
    } else {
        (
            format!("<X:{name} xmlns:X=\"{}\">", escape(ns)),
            format!("</X:{name}>"),
        )
    }
}

/// Property `ns:name` with no value.
pub fn empty_prop(ns: &str, name: &str) -> String {
    let (open, _) = prop_tags(ns, name);
    format!("{}/>", &open[..open.len() - 1])
}

pub fn text(value: &str) -> String {
    escape(value).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_resolve_and_values_keep_theirs() {
        let body = br#"<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop>
            <t:v xmlns:t="http://t/"><foo xmlns="http://bar">x &amp; y</foo></t:v></D:prop></D:set></D:propertyupdate>"#;
        let root = parse(body).unwrap().unwrap();
        assert!(root.is(DAV, "propertyupdate"));
        let prop = root.child(DAV, "set").unwrap().child(DAV, "prop").unwrap();
        let v = prop.elems().next().unwrap();
        assert!(v.is("http://t/", "v"));
        assert_eq!(v.inner_xml(), "<foo xmlns=\"http://bar\">x &amp; y</foo>");
        assert!(parse(b"<a><b></a>").is_err());
        assert!(parse(
            br#"<D:propfind xmlns:D="DAV:"><D:prop><b:x xmlns:b=""/></D:prop></D:propfind>"#
        )
        .is_err());
        assert!(parse(b"  ").unwrap().is_none());
        assert_eq!(empty_prop(DAV, "getetag"), "<D:getetag/>");
    }
}
