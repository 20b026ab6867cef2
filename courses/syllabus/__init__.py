"""The unified syllabus (统一教学大纲和考核标准): versions, units, committee review, branches, trainer pool."""
