UPDATE documents_document SET sha256 = repeat('0', 64) WHERE id = (SELECT target_id FROM migration_externalidmapping WHERE source_type='document' AND source_id='D1');
