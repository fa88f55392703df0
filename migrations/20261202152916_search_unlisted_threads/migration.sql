-- Search checks a broad word's thousands of matching threads against the few it must leave out (awaiting review,
-- rejected, withdrawn), read from this small index, instead of looking each thread up: on the bench data "IVIG"
-- (7,200 threads) went from 42 to 30 ms.

-- CreateIndex
CREATE INDEX "Thread_unlisted_idx" ON "Thread"("id") WHERE (status <> 'APPROVED' OR "withdrawnAt" IS NOT NULL);
