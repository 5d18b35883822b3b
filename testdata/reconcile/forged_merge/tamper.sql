-- Owner C2 deleted and recorded as a merged duplicate of C1, with whom it shares no e-mail, phone or document; its pet moved to C1.
UPDATE pets_pet SET owner_id = (SELECT target_id FROM migration_externalidmapping WHERE source_type = 'client' AND source_id = 'C1')
WHERE owner_id = (SELECT target_id FROM migration_externalidmapping WHERE source_type = 'client' AND source_id = 'C2');
CREATE TEMP TABLE gone AS SELECT p.id, p.user_id FROM vet_clinic_ownerprofile p
JOIN migration_externalidmapping m ON m.target_id = p.id AND m.source_type = 'client' AND m.source_id = 'C2';
UPDATE migration_externalidmapping SET is_merged = true,
	target_id = (SELECT target_id FROM migration_externalidmapping WHERE source_type = 'client' AND source_id = 'C1')
WHERE source_type = 'client' AND source_id = 'C2';
UPDATE migration_migrationrecord SET status = 'duplicate', reason = 'merged_into:C1',
	target_id = (SELECT target_id FROM migration_externalidmapping WHERE source_type = 'client' AND source_id = 'C1'),
	duplicate_of = (SELECT target_id FROM migration_externalidmapping WHERE source_type = 'client' AND source_id = 'C1')
WHERE source_type = 'client' AND source_id = 'C2';
DELETE FROM vet_clinic_ownerprofile WHERE id IN (SELECT id FROM gone);
DELETE FROM accounts_user WHERE id IN (SELECT user_id FROM gone);
