/**
 * MongoDB: recognises dbPath folders, dumps and archives, reads the version where the backup tells it and plans restores by MongoDB's upgrade rules, one major at a time. No mongod runs in the tests, so these plans are checked but their runs are not.
 */
package io.dbrescue.mongodb;
