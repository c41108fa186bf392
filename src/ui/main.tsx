/** Entry point of the dashboard bundle (built by scripts/build-ui.mjs into dist/ui/assets). */
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { render } from 'preact';
import { App } from './app.js';
import { applyTheme, readTheme } from './theme.js';

applyTheme(readTheme());
const root = document.getElementById('app');
if (root) render(<App />, root);
