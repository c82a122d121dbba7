-- title: 下载或读取失败的文件
-- description: 没能存档或读取的附件，及原因。查询结果最多显示 1000 行；完整名单请在“文件（documents）”表按 failure_kind 筛选后导出 CSV（导出全部行）或下载整个数据库。
-- hide_sql: true

select r.id as report_id, r.agency as 发布机关, r.year as 年度, d.url as 附件地址, d.failure_kind as 失败类型,
  d.failure as 失败说明, d.fetched_at as 时间
from documents d join reports r on r.id = d.report_id
where d.failure_kind is not null
order by d.fetched_at desc
