-- title: 快速检索（一两个字的词、极常见的词）
-- description: 全文索引（trigram）直接检索的是三个字及以上的词；一两个字的词（例如“诉”“复议”）在这里检索：找出以该词开头的所有三字组合再检索（因此出现在一段文字最后两个字的词会被漏掉）。几乎每份报告都有的词（例如“政府信息公开”）也在这里检索：命中数十万段，不统计总数、不分面，直接列出前 200 条；请加上更具体的词缩小范围。可输入多个词（以空格分隔），结果须同时包含每个词。首页的检索框会自动选用。结果最多 200 条。
-- params: [q]
-- hide_sql: true

with recursive
  words(word, rest) as (
    select '', trim(:q) || ' '
    union all
    select substr(rest, 1, instr(rest, ' ') - 1), ltrim(substr(rest, instr(rest, ' ') + 1)) from words where rest != ''
  ),
  -- A word of three characters or more is a phrase of the trigram index; a shorter one is any trigram it begins.
  phrases(phrase) as (
    select case when length(word) >= 3 then '"' || replace(word, '"', '""') || '"'
      else '(' || coalesce((select group_concat('"' || replace(term, '"', '""') || '"', ' OR ') from sections_fts_terms
                            where term >= lower(word) and term < lower(word) || char(1114111)), '"?"') || ')' end
    from words where word != ''
  )
select s.report_id, r.agency as 发布机关, r.year as 年度, r.title as 报告标题, s.heading as 部分,
  substr(s.text, max(1, instr(s.text, (select word from words where word != '' limit 1)) - 30), 90) as 上下文
from sections_fts
join sections s on s.rowid = sections_fts.rowid
join reports r on r.id = s.report_id
where sections_fts match (select coalesce(group_concat(phrase, ' AND '), '"?"') from phrases)
limit 200
