//! The multipart uploads open in the bucket, which object_store cannot list: a node killed
//! between starting one and recording it in its upload's row leaves one behind, invisible to
//! every listing of objects, holding its parts' bytes until someone aborts it. This is S3's
//! ListMultipartUploads, signed as object_store signs its own requests.

use object_store::{
    aws::AwsAuthorizer,
    client::{HttpConnector, HttpRequestBody, ReqwestConnector},
    ClientOptions, Error as BackendError,
};

use super::{BlobStore, StorageError};

/// A multipart upload the bucket holds open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenMultipart {
    /// The object it will become, as the rest of the store names it (without `storage.prefix`).
    pub key: String,
    pub upload_id: String,
}

fn failed(what: impl std::fmt::Display) -> StorageError {
    StorageError::Backend(BackendError::Generic {
        store: "S3",
        source: format!("listing multipart uploads: {what}").into(),
    })
}

impl BlobStore {
    /// Every multipart upload open under `prefix` (all of them, page after page).
    pub async fn open_multiparts(&self, prefix: &str) -> Result<Vec<OpenMultipart>, StorageError> {
        let Some(s3) = &self.s3 else {
            return Ok(Vec::new());
        };
        let bucket_prefix = match &s3.prefix {
            Some(p) => format!("{}/", p.as_ref()),
            None => String::new(),
        };
        let credential = s3
            .store
            .credentials()
            .get_credential()
            .await
            .map_err(failed)?;
        let options = ClientOptions::new()
            .with_allow_http(s3.bucket_url.starts_with("http://"))
            .with_timeout(std::time::Duration::from_secs(10));
        let client = ReqwestConnector::default().connect(&options)?;
        let mut found = Vec::new();
        let mut markers: Option<(String, String)> = None;
        loop {
            let mut url = format!(
                "{}?uploads=&prefix={}",
                s3.bucket_url,
                query_value(&format!("{bucket_prefix}{prefix}"))
            );
            if let Some((key, id)) = &markers {
                url.push_str(&format!(
                    "&key-marker={}&upload-id-marker={}",
                    query_value(key),
                    query_value(id)
                ));
            }
            let mut request = http::Request::builder()
                .method(http::Method::GET)
                .uri(url.as_str())
                .body(HttpRequestBody::empty())
                .map_err(failed)?;
            AwsAuthorizer::new(&credential, "s3", &s3.region)
                .try_authorize(&mut request, None)
                .map_err(failed)?;
            let response = client.execute(request).await.map_err(failed)?;
            let status = response.status();
            let body = response.into_body().bytes().await.map_err(failed)?;
            let body = String::from_utf8_lossy(&body);
            if !status.is_success() {
                return Err(failed(status));
            }
            for upload in elements(&body, "Upload") {
                let (Some(key), Some(upload_id)) = (text(upload, "Key"), text(upload, "UploadId"))
                else {
                    continue;
                };
                let Some(key) = key.strip_prefix(&bucket_prefix) else {
                    continue;
                };
                found.push(OpenMultipart {
                    key: key.to_owned(),
                    upload_id,
                });
            }
            let truncated = text(&body, "IsTruncated").is_some_and(|t| t == "true");
            match (
                text(&body, "NextKeyMarker"),
                text(&body, "NextUploadIdMarker"),
            ) {
                (Some(key), Some(id)) if truncated && !key.is_empty() => markers = Some((key, id)),
                _ => return Ok(found),
            }
        }
    }
}

/// `value` as it may stand in a query string (S3's unreserved characters as they are).
fn query_value(value: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    const QUERY: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    utf8_percent_encode(value, QUERY).to_string()
}

/// The contents of each `<tag>…</tag>` in `xml`, in order (S3's answers do not nest a tag
/// inside itself).
fn elements<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let Some(end) = after.find(&close) else { break };
        out.push(&after[..end]);
        rest = &after[end + close.len()..];
    }
    out
}

/// The unescaped text of the first `<tag>` in `xml`.
fn text(xml: &str, tag: &str) -> Option<String> {
    let raw = elements(xml, tag).into_iter().next()?;
    Some(
        raw.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_uploads_and_the_next_page_from_an_answer() {
        let xml = "<ListMultipartUploadsResult><IsTruncated>true</IsTruncated>\
            <NextKeyMarker>b/2</NextKeyMarker><NextUploadIdMarker>y</NextUploadIdMarker>\
            <Upload><Key>b/1&amp;x</Key><UploadId>x</UploadId></Upload>\
            <Upload><Key>b/2</Key><UploadId>y</UploadId></Upload></ListMultipartUploadsResult>";
        let uploads: Vec<_> = elements(xml, "Upload")
            .into_iter()
            .map(|u| (text(u, "Key").unwrap(), text(u, "UploadId").unwrap()))
            .collect();
        assert_eq!(
            uploads,
            [("b/1&x".into(), "x".into()), ("b/2".into(), "y".into())]
        );
        assert_eq!(text(xml, "NextKeyMarker").as_deref(), Some("b/2"));
        assert_eq!(text(xml, "Missing"), None);
    }
}
