DROP TABLE tenancy_invitations;
