-- title: 历年不予公开率与无法提供率
-- description: 各年度所有报告相加：不予公开、无法提供占办理结果总计的百分比。
-- hide_sql: true

select year as 年度, count(*) as 报告数, sum(requests_handled) as 办理总数, sum(denied) as 不予公开, sum(unavailable) as 无法提供,
  round(100.0 * sum(denied) / nullif(sum(requests_handled), 0), 1) as "不予公开率（%）",
  round(100.0 * sum(unavailable) / nullif(sum(requests_handled), 0), 1) as "无法提供率（%）"
from reports
where requests_handled is not null
group by year
order by year
