-- title: 历年申请及办理结果（图）
-- description: 各年度所有报告相加的申请办理结果，画成图：条长是当年办理总数，色块是各类结果。
-- hide_sql: true

select year as 年度, count(*) as 报告数, sum(requests_received) as 新收申请, sum(requests_handled) as 办理总数,
  sum(granted) as 予以公开, sum(partially_granted) as 部分公开, sum(denied) as 不予公开, sum(unavailable) as 无法提供,
  sum(not_processed) as 不予处理, sum(other_outcomes) as 其他处理,
  round(100.0 * sum(denied) / nullif(sum(requests_handled), 0), 1) as "不予公开率（%）"
from reports
where requests_handled is not null
group by year
order by year
