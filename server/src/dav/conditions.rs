//! A request's conditions: the `If` header, evaluated against the items it names (their
//! ETags and the locks on them), and the lock tokens it submits.

use std::collections::HashMap;

use axum::http::HeaderMap;

use super::{
    ifheader::{self, State},
    path::DavPath,
    props::etag,
    reply::Reply,
    resolve::{Found, Parent, Place},
    Dav,
};

impl Dav {
    /// Whether the `If` header holds (412 when not); the lock tokens it submits.
    pub async fn check_if(&self, place: &Place, headers: &HeaderMap) -> Result<Vec<String>, Reply> {
        let Some(value) = headers.get("if") else {
            return Ok(Vec::new());
        };
        let value = value
            .to_str()
            .map_err(|_| Reply::bad_request("The If header cannot be read."))?;
        let lists = ifheader::parse(value)
            .map_err(|_| Reply::bad_request("The If header cannot be read."))?;
        let mut states: HashMap<Option<String>, State> = HashMap::new();
        states.insert(None, self.state_of(place).await?);
        for tag in ifheader::tags(&lists) {
            let state = match DavPath::destination(&tag, None) {
                Ok(path) => match self.resolve(&path).await {
                    Ok(tagged) => self.state_of(&tagged).await?,
                    Err(_) => State::default(),
                },
                Err(_) => State::default(),
            };
            states.insert(Some(tag), state);
        }
        let none = State::default();
        let holds = ifheader::holds(&lists, |tag| {
            states.get(&tag.map(str::to_owned)).unwrap_or(&none)
        });
        if !holds {
            return Err(Reply::precondition());
        }
        Ok(ifheader::tokens(&lists))
    }

    async fn state_of(&self, place: &Place) -> Result<State, Reply> {
        let (etag, locked) = match &place.found {
            Found::Node(node) => (Some(etag(node)), Some(node.id)),
            Found::Missing(Some(Parent::Folder(folder))) => (None, Some(folder.id)),
            _ => (None, None),
        };
        let tokens = match locked {
            Some(id) => self
                .service
                .locks_on(&self.actor, id)
                .await?
                .into_iter()
                .map(|l| l.token)
                .collect(),
            None => Vec::new(),
        };
        Ok(State { etag, tokens })
    }
}
