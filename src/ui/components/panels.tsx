/** The site view's panels: what each shows, with which dimensions and metrics of the Stats API. */
import { countryFlag, countryName } from '../format.js';
import type { PanelDef } from './breakdown-panel.js';

const visitors = { metrics: ['visitors'], headings: ['Visitors'] };

/** Panel definitions, in reading order. */
export const PANELS: PanelDef[] = [
  {
    key: 'sources',
    title: 'Top sources',
    tabs: [
      { key: 'source', label: 'Sources', dimension: 'visit:source', ...visitors, label_of: (v) => v || 'Direct / None' },
      { key: 'referrer', label: 'Referrers', dimension: 'visit:referrer', ...visitors, label_of: (v) => v || 'Direct / None' },
      { key: 'utm_source', label: 'UTM source', dimension: 'visit:utm_source', ...visitors },
      { key: 'utm_medium', label: 'Medium', dimension: 'visit:utm_medium', ...visitors },
      { key: 'utm_campaign', label: 'Campaign', dimension: 'visit:utm_campaign', ...visitors },
    ],
  },
  {
    key: 'pages',
    title: 'Top pages',
    tabs: [
      { key: 'page', label: 'Pages', dimension: 'event:page', metrics: ['visitors', 'pageviews'], headings: ['Visitors', 'Views'] },
      { key: 'entry', label: 'Entry pages', dimension: 'visit:entry_page', metrics: ['visitors', 'visits'], headings: ['Visitors', 'Entrances'] },
      { key: 'exit', label: 'Exit pages', dimension: 'visit:exit_page', metrics: ['visitors', 'visits'], headings: ['Visitors', 'Exits'] },
    ],
  },
  {
    key: 'locations',
    title: 'Locations',
    tabs: [
      { key: 'country', label: 'Countries', dimension: 'visit:country', ...visitors, label_of: (v) => (v ? countryName(v) : '(unknown)'), icon_of: countryFlag },
    ],
  },
  {
    key: 'devices',
    title: 'Devices',
    tabs: [
      { key: 'browser', label: 'Browser', dimension: 'visit:browser', ...visitors },
      { key: 'os', label: 'OS', dimension: 'visit:os', ...visitors },
      { key: 'screen', label: 'Size', dimension: 'visit:screen', ...visitors },
      { key: 'device', label: 'Device', dimension: 'visit:device', ...visitors },
    ],
  },
  {
    key: 'goals',
    title: 'Goals and events',
    tabs: [
      {
        key: 'goal', label: 'Goals', dimension: 'event:goal', metrics: ['visitors', 'events', 'conversion_rate'], headings: ['Uniques', 'Total', 'CR'],
        empty: 'No conversions in this period (goals are set up in the site settings).',
      },
      {
        key: 'event', label: 'Custom events', dimension: 'event:name', metrics: ['visitors', 'events'], headings: ['Uniques', 'Total'],
        extraFilters: [['is_not', 'event:name', ['pageview', 'engagement']]], empty: 'No custom events in this period.',
      },
      { key: 'props', label: 'Properties', dimension: 'event:props', metrics: ['visitors', 'events'], headings: ['Uniques', 'Total'], controls: 'prop' },
    ],
  },
];
