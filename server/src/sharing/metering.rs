//! A link's download limit, counted in what is served: every answer that carries the file's
//! bytes (whole, a range, several ranges, or a folder's zip) is charged before it is sent, in
//! millionths of a download of what it serves, and what a cut-short download never sent is
//! given back. However a holder asks (suffix ranges, junk ranges, many ranges, many requests
//! at once), a link with `max_downloads: N` serves N downloads' worth of bytes, and a download
//! resumed after a dropped connection still fits in one. Previews (thumbnails, pages, the
//! text card) are not downloads and are not charged.

use std::{
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use axum::{body::Body, http::header, response::Response};
use bytes::Bytes;
use futures::{Stream, StreamExt};
use uuid::Uuid;

use super::links::{Links, UNIT};
use crate::error::ServiceError;

/// The units `sent` bytes of a `whole`-byte download cost (any answer for empty content: one).
pub fn units_for(sent: u64, whole: u64) -> i64 {
    if whole == 0 {
        return UNIT;
    }
    let units = (u128::from(sent) * UNIT as u128).div_ceil(u128::from(whole));
    i64::try_from(units).unwrap_or(i64::MAX)
}

/// Charges the link for `response` (the answer for content `whole` bytes long) and returns it
/// with its body counted; refused with 410 when the limit would be passed. Answers without
/// content (304, 416, errors) pass free.
pub async fn charge(
    links: &Arc<Links>,
    link: Uuid,
    response: Response,
    whole: u64,
) -> Result<Response, ServiceError> {
    if !response.status().is_success() {
        return Ok(response);
    }
    let length = response
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(whole);
    let charged = units_for(length, whole);
    links.charge(link, charged).await?;
    let (parts, body) = response.into_parts();
    let counted = Counted {
        inner: body.into_data_stream().boxed(),
        sent: 0,
        whole,
        charged,
        refund: Some((links.clone(), link)),
    };
    Ok(Response::from_parts(parts, Body::from_stream(counted)))
}

/// A body that counts what it hands on, and gives back on drop what it never sent.
struct Counted {
    inner: futures::stream::BoxStream<'static, Result<Bytes, axum::Error>>,
    sent: u64,
    whole: u64,
    charged: i64,
    refund: Option<(Arc<Links>, Uuid)>,
}

impl Stream for Counted {
    type Item = Result<Bytes, axum::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let next = self.inner.poll_next_unpin(cx);
        if let Poll::Ready(Some(Ok(chunk))) = &next {
            self.sent += chunk.len() as u64;
        }
        next
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        let owed = self.charged - units_for(self.sent, self.whole).min(self.charged);
        if owed <= 0 {
            return;
        }
        if let (Some((links, link)), Ok(runtime)) =
            (self.refund.take(), tokio::runtime::Handle::try_current())
        {
            runtime.spawn(async move {
                if let Err(e) = links.refund(link, owed).await {
                    tracing::warn!(error = %e, "a cut-short link download was not given back");
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::units_for;

    #[test]
    fn a_whole_download_costs_one_unit_and_pieces_add_up() {
        assert_eq!(units_for(1000, 1000), 1_000_000);
        assert_eq!(units_for(0, 1000), 0);
        assert_eq!(units_for(1, 3), 333_334);
        // Three thirds round up by at most a unit each.
        assert!(3 * units_for(1, 3) - 1_000_000 <= 3);
        assert_eq!(
            units_for(0, 0),
            1_000_000,
            "empty content still costs a download"
        );
        assert_eq!(
            units_for(3000, 1000),
            3_000_000,
            "the same bytes thrice cost thrice"
        );
    }
}
