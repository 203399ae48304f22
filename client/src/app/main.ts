import './styles/index.css';
import { mount } from './app.js';

mount(document.getElementById('app')!);
