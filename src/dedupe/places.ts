/**
 * Dedupe's view of places: the one place model lives in src/places/places.ts (gazetteer as data
 * in src/places/gazetteer-data.ts); this module re-exports what dedupe imports from here.
 */
export {
  LOCATION_NOISE,
  findPlaces,
  foldDiacritics,
  mayBePlaceWord,
  parseLocation,
  parseRegions,
  placeWords,
  placesCompatible,
  regionContains,
  scopeOf,
  scopesOverlap,
  type Place,
  type PlaceAlias,
  type Word,
} from '../places/places.js';
