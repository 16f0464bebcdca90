//! Personalization rules: the customer's name and their earlier contacts.

use super::Case;
use crate::review::findings::Builder;
use crate::review::signals::Reading;
use crate::review::types::FindingCode;

/// Findings about addressing this customer.
pub(super) fn personal(b: &mut Builder<'_>, r: &Reading<'_>, c: &Case<'_>) {
    let ctx = c.ctx;
    let name = ctx.name().and_then(|n| n.split_whitespace().next());
    if let Some(n) = name {
        if !r.name_used {
            b.add_whole(FindingCode::NotPersonalized, n);
            b.suggest("use_name", n);
        }
    }
    if ctx.prior_contacts > 0 && r.history_spans.is_empty() {
        b.add_whole(FindingCode::IgnoresHistory, &ctx.prior_contacts.to_string());
        b.suggest("refer_history", "");
    }
}
