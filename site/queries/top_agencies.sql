-- title: 收到申请最多的机关
-- description: 按本年新收政府信息公开申请数量（总计列）合计排序；可填年度只看某一年。
-- params: [year]
-- hide_sql: true

select r.agency as 发布机关, a.region as 地区, a.level as 层级, count(*) as 报告数, min(r.year) as 最早年度, max(r.year) as 最近年度,
  sum(r.requests_received) as 新收申请, sum(r.requests_handled) as 办理总数, sum(r.denied) as 不予公开,
  round(100.0 * sum(r.denied) / nullif(sum(r.requests_handled), 0), 1) as "不予公开率（%）"
from reports r join agencies a on a.id = r.agency_id
where r.requests_received is not null and (:year = '' or r.year = cast(:year as integer))
group by r.agency_id
order by 新收申请 desc
limit 100
