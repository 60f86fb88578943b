//! File storage for uploaded documents: content-addressed (the key is the SHA-256 of the
//! bytes), outside the web root, behind one interface with two backends from object_store:
//! the local file system (default, `PORTAL_DATA_DIR/files`) and any S3-compatible service
//! (`PORTAL_STORAGE_URL=s3://bucket/prefix`, credentials and endpoint from the usual `AWS_*`
//! variables, e.g. `AWS_ENDPOINT` for MinIO). Files are only ever served by handlers that check
//! who may see them.

use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload};
use sha2::{Digest, Sha256};
use std::sync::Arc;

use crate::config::Settings;

/// The largest document the portal takes (a licence, a certificate, a contract).
pub const MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;
const ALLOWED: [&str; 3] = ["application/pdf", "image/jpeg", "image/png"];

/// The content type from the bytes, if it is one the portal accepts (PDF, JPEG, PNG): never
/// from the file's name or what the browser claims.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    infer::get(bytes).map(|t| t.mime_type()).and_then(|m| ALLOWED.iter().copied().find(|a| *a == m))
}

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    prefix: String,
}

impl Storage {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Storage> {
        match settings.storage_url.as_deref() {
            Some(url) if url.starts_with("s3://") => {
                let rest = &url["s3://".len()..];
                let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
                let store = AmazonS3Builder::from_env().with_bucket_name(bucket).build()?;
                Ok(Storage { store: Arc::new(store), prefix: prefix.trim_matches('/').to_string() })
            }
            Some(other) => anyhow::bail!("PORTAL_STORAGE_URL must start with s3:// (got {other}); leave it empty for local files"),
            None => {
                let dir = settings.data_dir.join("files");
                std::fs::create_dir_all(&dir)?;
                Ok(Storage { store: Arc::new(LocalFileSystem::new_with_prefix(&dir)?), prefix: String::new() })
            }
        }
    }

    fn path(&self, sha256: &str) -> Path {
        let key = format!("sha256/{}/{}", &sha256[..2.min(sha256.len())], sha256);
        if self.prefix.is_empty() {
            Path::from(key)
        } else {
            Path::from(format!("{}/{key}", self.prefix))
        }
    }

    /// Store the bytes (once per content) and return their SHA-256.
    pub async fn put(&self, bytes: Vec<u8>) -> anyhow::Result<String> {
        let sha = hex::encode(Sha256::digest(&bytes));
        let path = self.path(&sha);
        if self.store.head(&path).await.is_err() {
            self.store.put(&path, PutPayload::from(bytes)).await?;
        }
        Ok(sha)
    }

    pub async fn get(&self, sha256: &str) -> anyhow::Result<bytes::Bytes> {
        Ok(self.store.get(&self.path(sha256)).await?.bytes().await?)
    }
}
