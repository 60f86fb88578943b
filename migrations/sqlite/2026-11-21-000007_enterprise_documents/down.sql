DROP TABLE enterprise_documents;
