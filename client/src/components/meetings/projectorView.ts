/**
 * The meeting panel's "projector" view (larger text for a shared screen), remembered on
 * this device. One flag for the whole tab: the panel sizes its text by it and the layer
 * around it widens on large screens.
 */
import { useStoredFlag } from '../../util/storedFlag';

export const projectorView = useStoredFlag('jane.meetingProjector', false);
