//! The enterprise picker's search: part of a name or of a credit code, within
//! the caller's scope, at most [`MAX_HITS`] answers. Pages type into it
//! (`assets/picker.js`); nobody types an internal numeric id.
//!
//! Decisions where the issue is silent: an empty query answers an empty list
//! (not every enterprise of the scope); the credit code is matched as a
//! substring in capitals (codes are stored in capitals); hits are ordered by
//! name so that the same query always answers the same list.

use crate::auth::CurrentUser;
use crate::entities::enterprise;
use crate::error::{AppError, AppResult, ErrorBody, FieldErrors};
use crate::json::ApiQuery;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use sea_orm::{Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Answers one search gives at most.
pub const MAX_HITS: u64 = 20;

/// Query of `GET /api/v1/enterprises/search`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Part of the name or of the credit code (`limits::NAME` characters at most).
    #[param(max_length = 200)]
    pub q: Option<String>,
}

/// One enterprise the picker offers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnterpriseHit {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    /// The region's name (江汉区), or its code when the name is not shipped.
    pub region_name: String,
}

/// The enterprises in the caller's scope whose name or credit code contains `text`.
pub async fn search<C: sea_orm::ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    text: &str,
) -> AppResult<Vec<EnterpriseHit>> {
    let mut fields = FieldErrors::new();
    crate::limits::check(&mut fields, "q", "搜索内容", Some(text), crate::limits::NAME);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let text = text.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, String, String, String)> = super::service::scoped(enterprise::Entity::find(), &user.scope)
        .select_only()
        .columns([
            enterprise::Column::Id,
            enterprise::Column::Name,
            enterprise::Column::CreditCode,
            enterprise::Column::RegionCode,
        ])
        .filter(
            Condition::any()
                .add(crate::like::contains(enterprise::Column::Name, text))
                .add(crate::like::contains(enterprise::Column::CreditCode, &text.to_uppercase())),
        )
        .order_by_asc(enterprise::Column::Name)
        .order_by_asc(enterprise::Column::Id)
        .limit(MAX_HITS)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, credit_code, region)| EnterpriseHit {
            id,
            name,
            credit_code,
            region_name: crate::bureau::regions::name(&region).map_or(region, ToOwned::to_owned),
        })
        .collect())
}

/// Find enterprises by part of the name or credit code (the picker), at most 20.
#[utoipa::path(get, path = "/api/v1/enterprises/search", tag = "enterprises", params(SearchQuery),
    responses((status = 200, body = Vec<EnterpriseHit>), (status = 422, body = ErrorBody)))]
pub async fn search_enterprises(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> AppResult<Json<Vec<EnterpriseHit>>> {
    Ok(Json(search(state.db.conn(), &user, q.q.as_deref().unwrap_or_default()).await?))
}
