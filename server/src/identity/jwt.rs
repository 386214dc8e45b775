//! Short-lived access tokens: HS256 JWTs signed with a key kept in the database, so that
//! every node of a cluster signs and checks with the same key.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use sea_orm::{sea_query::OnConflict, ActiveValue::Set, DatabaseConnection, EntityTrait};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{entities::setting, error::ServiceError};

const SECRET_KEY: &str = "jwt_secret";

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    ttl_secs: u64,
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: Uuid,
    iat: i64,
    exp: i64,
    typ: String,
    /// The account's session generation when issued: a password reset or disabling moves it
    /// on, and the token stops working at once.
    #[serde(default)]
    gen: i32,
}

impl JwtKeys {
    /// Reads the signing secret, creating it on first start (the first node to write wins).
    pub async fn load(db: &DatabaseConnection, ttl_secs: u64) -> Result<Self, ServiceError> {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let candidate = setting::ActiveModel {
            key: Set(SECRET_KEY.to_owned()),
            value: Set(URL_SAFE_NO_PAD.encode(bytes)),
        };
        setting::Entity::insert(candidate)
            .on_conflict(
                OnConflict::column(setting::Column::Key)
                    .do_nothing()
                    .to_owned(),
            )
            .do_nothing()
            .exec(db)
            .await?;
        let stored = setting::Entity::find_by_id(SECRET_KEY.to_owned())
            .one(db)
            .await?
            .ok_or_else(|| ServiceError::Hash("signing key missing".into()))?;
        let secret = URL_SAFE_NO_PAD
            .decode(stored.value.as_bytes())
            .map_err(|_| ServiceError::Hash("signing key unreadable".into()))?;
        Ok(Self {
            encoding: EncodingKey::from_secret(&secret),
            decoding: DecodingKey::from_secret(&secret),
            ttl_secs,
        })
    }

    pub fn ttl_secs(&self) -> u64 {
        self.ttl_secs
    }

    pub fn issue(&self, user: Uuid, generation: i32) -> Result<String, ServiceError> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user,
            iat: now,
            exp: now + self.ttl_secs as i64,
            typ: "access".into(),
            gen: generation,
        };
        Ok(encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// The user of a valid, unexpired access token. Only HS256 is accepted (`alg: none` is not).
    /// The account and the session generation it was issued for.
    pub fn verify(&self, token: &str) -> Option<(Uuid, i32)> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "sub"]);
        let data = decode::<Claims>(token, &self.decoding, &validation).ok()?;
        (data.claims.typ == "access").then_some((data.claims.sub, data.claims.gen))
    }
}
