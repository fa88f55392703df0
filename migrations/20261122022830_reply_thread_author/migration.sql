-- CreateIndex
CREATE INDEX "Reply_threadId_authorId_idx" ON "Reply"("threadId", "authorId");
