//! The bodies of the 执法文书 drawn from the on-site record (现场检查记录, 责令限期整改指令书,
//! 现场处理措施决定书, 整改复查意见书). (being written)

use crate::entities::inspection;
use crate::error::AppResult;
use crate::inspection::domain::DocumentType;
use sea_orm::ConnectionTrait;

/// The body of document `kind` of inspection `i` as an HTML fragment (every value
/// escaped), or `None` when the type is not drawn from the record.
#[allow(clippy::unused_async)]
pub async fn body<C: ConnectionTrait>(
    _db: &C,
    _i: &inspection::Model,
    _kind: DocumentType,
) -> AppResult<Option<String>> {
    Ok(None)
}
