"""Online lessons: sanitised Markdown, checked attachments and video, server-measured progress and hours."""
