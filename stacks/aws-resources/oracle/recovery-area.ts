/**
 * The size of Oracle's fast recovery area on the data volume (pure, tested directly). The image
 * leaves the area outside the volume, in the container's own file system, so the setup moves it to
 * RECOVERY_AREA_DIR and gives it an explicit limit that the volume can always hold next to the
 * database files.
 */

/** Inside the container: the data volume is mounted at /opt/oracle/oradata. */
export const RECOVERY_AREA_DIR = "/opt/oracle/oradata/fast_recovery_area";

/**
 * What the database files need at most, in GiB: XE stores at most 12 GB of user data (the
 * restrictions in https://docs.oracle.com/en/database/oracle/oracle-database/21/xeinl/), plus the CDB's and the PDB's SYSTEM, SYSAUX, UNDO and TEMP files, the online redo logs and the
 * control files.
 */
export const DATABASE_FILES_GIB = 20;

/**
 * The recovery area's limit (`db_recovery_file_dest_size`) for a data volume of `volumeGiB`: what
 * the database files leave free, but never more than half of a small volume, so a volume at the
 * smallest allowed size still splits evenly. Oracle deletes reclaimable files and stops archiving
 * at this limit, never at a full disk.
 */
export function recoveryAreaGiB(volumeGiB: number): number {
  if (!Number.isInteger(volumeGiB) || volumeGiB < 2) {
    throw new RangeError(`a data volume of ${volumeGiB} GiB cannot hold a recovery area`);
  }
  return Math.max(Math.floor(volumeGiB / 2), volumeGiB - DATABASE_FILES_GIB);
}
